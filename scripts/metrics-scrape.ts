/**
 * A counter summed over servers, read from their Prometheus `/metrics` (every
 * label set of it): how the tests and the benchmark count what the services
 * did, e.g. `c360_graphql_requests_total`. `graphqlUrls` are the servers'
 * `/graphql` URLs; `/metrics` sits beside each.
 */
export async function counterTotal(graphqlUrls: Iterable<string>, name: string): Promise<number> {
  const line = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'gm');
  let total = 0;
  for (const url of graphqlUrls) {
    const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
    for (const match of text.matchAll(line)) total += Number(match[1]);
  }
  return total;
}
