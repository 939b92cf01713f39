import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP proxy in front of a subgraph that delays each request and counts them: a slow subgraph for the e2e tests and the benchmark. */
export interface DelayingProxy {
  url: string;
  /** Requests received so far. */
  requests: number;
  /** Requests passed on to the target after their delay (a caller that gave up first is not). */
  forwarded: number;
  /** Requests whose caller gave up (closed the connection) before their delay was over. */
  abandoned: number;
  close(): Promise<void>;
}

/** Forwards every request to `target` after `delayMs`. */
export function delayingProxy(target: string, delayMs: number): Promise<DelayingProxy> {
  const url = new URL(target);
  const proxy: DelayingProxy = {
    url: '',
    requests: 0,
    forwarded: 0,
    abandoned: 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    proxy.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const timer = setTimeout(() => {
        sent = true;
        proxy.forwarded++;
        const upstream = request({ host: url.hostname, port: url.port, path: url.pathname, method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      }, delayMs);
      let sent = false;
      res.on('close', () => {
        clearTimeout(timer);
        if (!sent) proxy.abandoned++;
      });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      resolve(proxy);
    }),
  );
}
