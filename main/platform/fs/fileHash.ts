import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 (hex) and size of a file, read in 1 MiB pieces; `onBytes` sees each piece's length. */
export async function hashFile(path: string, onBytes?: (n: number) => void, isCancelled?: () => boolean): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    onBytes?.(chunk.length);
    if (isCancelled?.()) break;
  }
  return { sha256: hash.digest('hex'), bytes };
}
