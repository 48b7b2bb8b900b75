import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread from a module beside the caller: `entry` is a URL to its `.js` file in dist/.
 * When the caller itself runs as TypeScript (tests under vitest/tsx), the worker loads the `.ts` twin
 * and registers tsx first: Node 20 ignores `--import` in a Worker's execArgv, and an eval'd worker
 * resolves packages from the working directory, hence the absolute path of tsx's ESM loader.
 */
export function startWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.href.endsWith('.ts')) return new Worker(entry, { workerData });
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const source = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(source, { eval: true, workerData });
}

/** The URL of a worker module beside `callerUrl`, as `.ts` when the caller runs from source. */
export function workerEntry(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}
