// Monaco's language workers, bundled beside the app (scripts/build-explorer.ts) and loaded from the
// gateway itself: nothing comes from a CDN.
const base = new URL('./', (document.currentScript as HTMLScriptElement | null)?.src ?? location.href);

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    const file = label === 'json' ? 'json.worker.js' : label === 'graphql' ? 'graphql.worker.js' : 'editor.worker.js';
    return new Worker(new URL(file, base));
  },
};
