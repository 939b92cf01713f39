import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { EXPLORER_DIST } from '../gateway/explorer';
import { projectRoot } from '../subgraphs/platform';

/**
 * Bundles the explorer (gateway/explorer/app.tsx: GraphiQL 5 with its
 * explorer, documentation and history plugins) and Monaco's three language
 * workers into dist/explorer, fonts and all, so that the gateway serves
 * every byte itself: no CDN, no network beyond the gateway.
 */
export async function buildExplorer(outdir = EXPLORER_DIST): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  const common = {
    bundle: true,
    minify: true,
    format: 'iife' as const,
    target: 'es2022',
    outdir,
    logLevel: 'error' as const,
    legalComments: 'none' as const,
    define: { 'process.env.NODE_ENV': '"production"' },
  };
  await build({
    ...common,
    entryPoints: { app: join(projectRoot(), 'gateway', 'explorer', 'app.tsx') },
    jsx: 'automatic',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
    assetNames: '[name]-[hash]',
  });
  await build({
    ...common,
    entryPoints: {
      'editor.worker': require.resolve('monaco-editor/esm/vs/editor/editor.worker.js'),
      'json.worker': require.resolve('monaco-editor/esm/vs/language/json/json.worker.js'),
      'graphql.worker': require.resolve('monaco-graphql/esm/graphql.worker.js'),
    },
  });
}

if (require.main === module) {
  const started = Date.now();
  buildExplorer().then(
    () => console.log(`[explorer] built ${EXPLORER_DIST} in ${((Date.now() - started) / 1000).toFixed(1)} s`),
    (error) => {
      console.error(`[explorer] build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
