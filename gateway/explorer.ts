import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express, Request, Response } from 'express';
import { Q1, Q3 } from '../bench/scenarios';
import { projectRoot } from '../subgraphs/platform';

/** Where `npm run build` puts the explorer's bundle (scripts/build-explorer.ts). */
export const EXPLORER_DIST = join(projectRoot(), 'dist', 'explorer');

export interface ExplorerOptions {
  /** EXPLORER: served outside production always; in production only with EXPLORER=true. Default: not in production. */
  enabled: boolean;
  /** Ready-made credentials offered in development (the launcher's printed tokens), each a label and its headers. */
  tokens: { label: string; headers: Record<string, string> }[];
  /** Default EXPLORER_DIST. */
  distDir?: string;
}

const PAGE_OF_CUSTOMERS = `# A page of customers with their balances: pass pageInfo.endCursor as $after for the next page.
query CustomersWithBalances($after: String) {
  customers(first: 50, after: $after, filter: { statuses: [ACTIVE] }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { customerNumber displayName segment openBalance { amount currency } overdueBalance { amount } dunningLevel lifetimeValue { amount } }
  }
}`;

const PAYMENT = `# A payment: a retry with the same idempotencyKey books nothing twice.
mutation RecordPayment($invoiceId: ID!, $amount: Decimal!, $key: String!) {
  recordPayment(input: { invoiceId: $invoiceId, amount: $amount, method: BANK_TRANSFER, idempotencyKey: $key }) {
    id amount { amount currency } receivedAt
  }
}`;

/** The example tabs the explorer opens with: one per user group. */
export function exampleTabs(): { query: string; variables?: string }[] {
  return [
    {
      query: `# Customer 360: everything the graph knows about one customer.\n${Q1.replace(/\n\s+/g, '\n  ')}`,
      variables: JSON.stringify({ id: '<customer id>' }, null, 2),
    },
    { query: PAGE_OF_CUSTOMERS },
    {
      query: `# The BI reports: interactions, receivables and complaint SLAs over a year.\n${Q3.replace(/\n\s+/g, '\n  ')}`,
      variables: JSON.stringify({ from: '2026-01-01', to: '2026-12-31' }, null, 2),
    },
    { query: PAYMENT, variables: JSON.stringify({ invoiceId: '<invoice id>', amount: '10.00', key: 'payment-2026-0001' }, null, 2) },
  ];
}

/** The page: the bundle's CSS and script from this gateway, and the configuration as inert JSON. */
export function explorerPage(options: ExplorerOptions, offerTokens: boolean): string {
  const config = {
    endpoint: '/graphql',
    tabs: exampleTabs(),
    tokens: offerTokens ? options.tokens.map((t) => ({ label: t.label, headers: JSON.stringify(t.headers, null, 2) })) : [],
  };
  // `<` escaped: the JSON cannot end the script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer 360 explorer</title>
<link rel="stylesheet" href="/explorer/assets/app.css">
<style>html, body, #c360-explorer { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="c360-explorer"></div>
<script id="c360-explorer-config" type="application/json">${json}</script>
<script src="/explorer/assets/app.js"></script>
</body>
</html>
`;
}

/** The ready tokens go to a browser on this machine only: a gateway reachable from elsewhere never hands them out. */
function onThisMachine(req: Request): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function wantsHtml(req: Request): boolean {
  return req.method === 'GET' && req.accepts(['application/json', 'text/html']) === 'text/html';
}

/**
 * GET /explorer, and GET /graphql from a browser (Accept: text/html): the
 * self-hosted GraphiQL. Its files come from dist/explorer only, so it works
 * without internet access. The page needs no credentials; every query it
 * sends does.
 */
export function explorerRoutes(options: ExplorerOptions): (app: Express) => void {
  const dir = options.distDir ?? EXPLORER_DIST;
  return (app) => {
    if (!options.enabled) return;
    const page = (req: Request, res: Response) => {
      if (!existsSync(join(dir, 'app.js'))) {
        res.status(503).type('text/plain').send('The explorer is not built: run npm run build');
        return;
      }
      res.setHeader(
        'content-security-policy',
        "default-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; img-src 'self' data:; font-src 'self' data:",
      );
      res.type('html').send(explorerPage(options, onThisMachine(req)));
    };
    app.get('/explorer', (req, res) => page(req, res));
    app.get('/graphql', (req, res, next) => (wantsHtml(req) ? page(req, res) : next()));
    app.get('/explorer/assets/:file', (req, res) => {
      const file = req.params.file ?? '';
      if (!/^[\w.-]+$/.test(file) || !existsSync(join(dir, file))) return res.status(404).type('text/plain').send('Not found');
      res.setHeader('cache-control', 'public, max-age=3600');
      return res.sendFile(join(dir, file));
    });
  };
}

/** EXPLORER_TOKENS_FILE (the launcher writes .data/explorer-tokens.json): ready tokens, development only. */
export function readExplorerTokens(path: string | undefined): ExplorerOptions['tokens'] {
  if (!path || !existsSync(path)) return [];
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as ExplorerOptions['tokens'];
    return Array.isArray(parsed) ? parsed.filter((t) => typeof t?.label === 'string' && t.headers && typeof t.headers === 'object') : [];
  } catch {
    return [];
  }
}
