/**
 * Builds the web console into dist/web, served by every member under /browser/. Everything the
 * page needs is bundled: the console must work on a machine with no network but the cluster's.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/browser/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The Cypher parser and the graph renderer are large; one bundle is loaded once per visit.
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
  },
});
