import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { ArchiveMember } from './archiveReader.js';

export interface ReadMember {
  readonly name: string;
  /** Bytes the tar header declared. */
  readonly declared: number;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Consumes a member's data: hashes it, optionally writes it to `path` and hands each piece to `inspect`.
 * Returns what was read, so a short member (a truncated archive) shows as fewer bytes than declared.
 */
export async function consumeMember(member: ArchiveMember, options: { path?: string; inspect?: (piece: Buffer) => void } = {}): Promise<ReadMember> {
  const hash = createHash('sha256');
  const out = options.path === undefined ? undefined : createWriteStream(options.path, { flags: 'wx', highWaterMark: 1024 * 1024 });
  const failed = out === undefined ? undefined : new Promise<never>((_, reject) => out.once('error', reject));
  failed?.catch(() => undefined);
  let bytes = 0;
  try {
    for await (const piece of member.data) {
      hash.update(piece);
      bytes += piece.length;
      options.inspect?.(piece);
      if (out !== undefined && !out.write(piece)) await Promise.race([once(out, 'drain'), failed!]);
    }
    if (out !== undefined) {
      out.end();
      await Promise.race([once(out, 'finish'), failed!]);
    }
  } finally {
    if (out !== undefined && !out.closed) {
      out.destroy();
      await once(out, 'close').catch(() => undefined);
    }
  }
  return { name: member.name, declared: member.size, bytes, sha256: hash.digest('hex') };
}
