import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './workers';

/** What the gateway writes into the page (explorer.ts): the endpoint, example tabs and, in development, ready tokens. */
interface ExplorerConfig {
  endpoint: string;
  tabs: { query: string; variables?: string; headers?: string }[];
  tokens: { label: string; headers: string }[];
}

const config = JSON.parse(document.getElementById('c360-explorer-config')!.textContent!) as ExplorerConfig;
const fetcher = createGraphiQLFetcher({ url: new URL(config.endpoint, location.href).toString() });
// The first ready token (development) fills the headers editor; otherwise an empty one to fill in.
const headers = config.tokens[0]?.headers ?? JSON.stringify({ authorization: 'Bearer <token>' }, null, 2);

function Explorer() {
  return createElement(GraphiQL, {
    fetcher,
    plugins: [HISTORY_PLUGIN, explorerPlugin()],
    defaultTabs: config.tabs.map((t) => ({ ...t, headers: t.headers ?? headers })),
    defaultHeaders: headers,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  });
}

createRoot(document.getElementById('c360-explorer')!).render(createElement(Explorer));
