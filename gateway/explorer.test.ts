import { exampleTabs, explorerPage } from './explorer';

const options = { enabled: true, tokens: [{ label: 'admin', headers: { authorization: 'Bearer secret.token' } }] };
const configOf = (html: string) => JSON.parse(/<script id="c360-explorer-config" type="application\/json">(.*)<\/script>/.exec(html)![1]!);

describe('explorer page', () => {
  it('offers the ready tokens only when asked to (a browser on the same machine)', () => {
    expect(configOf(explorerPage(options, true)).tokens).toEqual([
      { label: 'admin', headers: JSON.stringify({ authorization: 'Bearer secret.token' }, null, 2) },
    ]);
    const remote = explorerPage(options, false);
    expect(configOf(remote).tokens).toEqual([]);
    expect(remote).not.toContain('secret.token');
  });

  it('loads only its own assets, and keeps its configuration from ending the script element', () => {
    const html = explorerPage({ enabled: true, tokens: [{ label: '</script><script>alert(1)</script>', headers: {} }] }, true);
    expect(html.match(/<script[^>]*src="([^"]+)"/g)).toEqual(['<script src="/explorer/assets/app.js"']);
    expect(html).not.toContain('</script><script>alert(1)');
    expect(configOf(html).tokens[0].label).toBe('</script><script>alert(1)</script>');
  });

  it('opens with a tab per user group: customer 360, a page of customers, BI reports, a payment', () => {
    const queries = exampleTabs().map((t) => t.query);
    expect(queries).toHaveLength(4);
    expect(queries[0]).toMatch(/query Q1/);
    expect(queries[1]).toMatch(/query CustomersWithBalances/);
    expect(queries[2]).toMatch(/interactionStats/);
    expect(queries[3]).toMatch(/recordPayment\(input: \{[^}]*idempotencyKey/);
  });
});
