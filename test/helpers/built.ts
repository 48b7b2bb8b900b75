import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

/**
 * Imports a module of the built code (dist/, `npm run build:main`), typed as its source. Used where the
 * shipped JavaScript is what must be tested (e.g. worker threads, which load dist/ files).
 */
export async function importBuilt<T>(sourcePath: string): Promise<T> {
  const file = join(REPO_ROOT, 'dist', sourcePath.replace(/\.ts$/, '.js'));
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build:main first`);
  return (await import(pathToFileURL(file).href)) as T;
}
