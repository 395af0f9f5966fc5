import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts one of the worker process's threads, `<name>.ts` beside this module. The built worker has
 * each thread's own bundle beside its main one (`<name>.js`, see scripts/build.ts); from the
 * TypeScript sources (tests, development) the thread registers the TypeScript loader first.
 */
export function startThread(name: string, data: unknown, resourceLimits: ResourceLimits): Worker {
  const options = { workerData: data, resourceLimits };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), options);
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
