import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding package.json). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The built CLI (`npm run build:main`). */
export const CLI_PATH = fileURLToPath(new URL('../../dist/main/cli/index.js', import.meta.url));

/** The child script that appends in a loop and prints each acknowledged append (run through tsx). */
export const APPEND_LOOP_PATH = fileURLToPath(new URL('./appendLoop.ts', import.meta.url));
