import { ConsoleError } from '../../shared/errors.js';

/**
 * SHA256SUMS in the format `sha256sum -c` reads: `<64 hex>  <name>` per line (two spaces: text mode,
 * which on Linux reads the same bytes as binary mode).
 */
export function formatSha256Sums(entries: ReadonlyArray<{ readonly name: string; readonly sha256: string }>): string {
  return entries.map((e) => `${e.sha256}  ${e.name}\n`).join('');
}

const LINE = /^([0-9a-f]{64}) [ *]([A-Za-z0-9._-]+)$/;

/** Name → hash. Anything but well-formed lines naming each file once is ARCHIVE_CORRUPT. */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const m = LINE.exec(line);
    if (m === null) throw new ConsoleError('ARCHIVE_CORRUPT', `SHA256SUMS line ${i + 1} is not "<sha256>  <name>"`);
    if (sums.has(m[2]!)) throw new ConsoleError('ARCHIVE_CORRUPT', `SHA256SUMS lists ${m[2]} twice`);
    sums.set(m[2]!, m[1]!);
  });
  if (sums.size === 0) throw new ConsoleError('ARCHIVE_CORRUPT', 'SHA256SUMS is empty');
  return sums;
}
