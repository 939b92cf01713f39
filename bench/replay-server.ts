import { createServer, type IncomingMessage } from 'node:http';

/**
 * Tier A's stand-in for every subgraph: answers each request body it has
 * seen before with the recorded response, at almost no cost, so that a
 * benchmark of a gateway measures the gateway alone. A body not seen yet is
 * forwarded once to the real subgraph and recorded (the warm-up records
 * every request of an operation with fixed variables). GET /__stats tells
 * hits and misses: a measured run must not miss.
 *
 * argv: port, then a JSON object { subgraph name: real subgraph URL }.
 * Requests come in at /<subgraph name>.
 */
interface Recorded {
  status: number;
  contentType: string;
  body: Buffer;
}

const [port, upstreamsJson] = process.argv.slice(2);
const upstreams = JSON.parse(upstreamsJson!) as Record<string, string>;
const recorded = new Map<string, Recorded>();
const stats = { hits: 0, misses: 0 };

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function record(name: string, req: IncomingMessage, payload: Buffer): Promise<Recorded> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
  const response = await fetch(upstreams[name]!, { method: 'POST', headers, body: payload });
  return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/json', body: Buffer.from(await response.arrayBuffer()) };
}

const server = createServer((req, res) => {
  const name = (req.url ?? '/').split('/')[1] ?? '';
  if (req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...stats, recorded: recorded.size }));
    return;
  }
  if (!upstreams[name]) {
    res.writeHead(404).end();
    return;
  }
  void body(req)
    .then(async (payload) => {
      const key = `${name}\n${payload.toString('utf8')}`;
      let answer = recorded.get(key);
      if (answer) stats.hits++;
      else {
        stats.misses++;
        answer = await record(name, req, payload);
        if (answer.status === 200) recorded.set(key, answer);
      }
      res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length }).end(answer.body);
    })
    .catch(() => res.writeHead(502).end());
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1');
