import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { ConsoleError } from '../../shared/errors.js';
import type { EventReader } from '../store/index.js';
import { toEventJsonLine } from '../store/index.js';

const PAGE = 2000;

export interface WrittenEvents {
  readonly bytes: number;
  readonly sha256: string;
  readonly count: number;
  readonly lastHash: string;
}

/**
 * Writes the events in (from, to] as §6b NDJSON lines (the `pconsole export` format, so `pconsole import`
 * applies them by hand), hashing while it writes. Pages of 2,000 rows keep memory flat; positions are
 * gapless and never rewritten, so the range reads the same while appends continue above `to`.
 */
export async function writeEventsNdjson(
  reader: EventReader,
  from: number,
  to: number,
  path: string,
  onEvents: (done: number) => void,
  isCancelled: () => boolean,
): Promise<WrittenEvents> {
  const out = createWriteStream(path, { flags: 'wx' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const hash = createHash('sha256');
  let bytes = 0;
  let count = 0;
  let expected = from + 1;
  let lastHash = '';
  try {
    for (const page of reader.pages(from + 1, to, PAGE)) {
      let text = '';
      for (const e of page) {
        if (e.globalPosition !== expected) throw new ConsoleError('INTEGRITY_VIOLATION', `position ${expected} is missing from the store's log`);
        expected++;
        text += toEventJsonLine(e) + '\n';
        lastHash = e.hash;
      }
      const chunk = Buffer.from(text);
      hash.update(chunk);
      bytes += chunk.length;
      count += page.length;
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
      onEvents(count);
      if (isCancelled()) throw new ConsoleError('CANCELLED', 'the backup was cancelled');
    }
    if (count !== to - from) throw new ConsoleError('INTEGRITY_VIOLATION', `the store's log ends before position ${to}`);
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } finally {
    if (!out.closed) {
      out.destroy();
      await once(out, 'close').catch(() => undefined);
    }
  }
  return { bytes, sha256: hash.digest('hex'), count, lastHash };
}
