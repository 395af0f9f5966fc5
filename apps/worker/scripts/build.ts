/**
 * Builds the worker as it runs in production: an ES module, `dist/main.js` (and its threads',
 * `dist/commit-thread-main.js` and `dist/checkpoint-thread-main.js`), with the workspace
 * packages and the npm packages bundled in, and the database's migrations beside it in
 * `dist/migrations` (where `@provisio/db` looks for them, next to its own module). Only the native
 * addons, better-sqlite3 and lz4-napi, are loaded from node_modules.
 *
 * Running the bundle instead of the TypeScript sources through a loader saves the loader's
 * compiled modules and source maps: about 65 MB of resident memory, which a cycle of 100,000
 * objects otherwise carries from start to end.
 *
 *   pnpm --filter @provisio/worker build
 */
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

rmSync(dist, { recursive: true, force: true });
const started = performance.now();
await build({
  // The process, and its threads (commit-thread.ts, checkpoint-thread.ts), each a module of its own.
  entryPoints: [
    `${root}src/main.ts`,
    `${root}src/commit-thread-main.ts`,
    `${root}src/checkpoint-thread-main.ts`,
  ],
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', 'lz4-napi'],
  // Bundled CommonJS packages call require(): give the module one.
  banner: {
    js: "import { createRequire as __provisioRequire } from 'node:module';\nconst require = __provisioRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
cpSync(fileURLToPath(new URL('../../../packages/db/src/migrations', import.meta.url)), `${dist}/migrations`, {
  recursive: true,
});
console.log(`worker built into ${dist} in ${Math.round(performance.now() - started)} ms`);
