import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory } from '../backup/durableWrite.js';

/** Fsyncs every file of a store folder, then the folder: what is renamed into place afterwards is on disk. */
export async function fsyncStoreFiles(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const handle = await open(join(dir, name), 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await fsyncDirectory(dir);
}
