import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliError } from '../helpers/cli.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { rawEvents } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

/** A store with 3 events; returns it and a function that checks nothing was written since. */
function storeWithThreeEvents(dir = temp.path()): { dir: string; expectUnchanged: () => void } {
  createFilledStore(dir, 3);
  const before = rawEvents(dir);
  const files = readdirSync(dir).sort();
  return {
    dir,
    expectUnchanged: () => {
      expect(rawEvents(dir)).toEqual(before);
      expect(readdirSync(dir).filter((f) => !f.startsWith('events.db-')).sort()).toEqual(files.filter((f) => !f.startsWith('events.db-')));
    },
  };
}

function writeLines(lines: readonly string[]): string {
  const file = join(temp.dir(), 'lines.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const APPEND = (dir: string) => ['append', dir, '--stream', 's', '--type', 'T'];

describe('bad input exits 2 with a clear message and writes nothing', () => {
  // One store for the whole table: none of these may write to it, so it must stay as it was throughout.
  let shared: ReturnType<typeof storeWithThreeEvents> | undefined;
  let sharedRoot: string | undefined;
  beforeAll(() => {
    sharedRoot = mkdtempSync(join(tmpdir(), 'pconsole-badinput-'));
    shared = storeWithThreeEvents(join(sharedRoot, 'store'));
  });
  afterAll(() => rmSync(sharedRoot!, { recursive: true, force: true }));

  it.each([
    ['malformed JSON in --data', (d: string) => [...APPEND(d), '--data', '{"a":'], /^--data is not valid JSON/],
    ['--data that is not a JSON object', (d: string) => [...APPEND(d), '--data', '[1,2]'], /data/],
    ['--data that is a JSON string', (d: string) => [...APPEND(d), '--data', '"text"'], /data/],
    ['malformed JSON in --metadata', (d: string) => [...APPEND(d), '--data', '{}', '--metadata', '{bad'], /^--metadata is not valid JSON/],
    ['a bad UUID in --event-id', (d: string) => [...APPEND(d), '--data', '{}', '--event-id', 'not-a-uuid'], /eventId: not a UUID/],
    ['a UUID with a wrong length in --event-id', (d: string) => [...APPEND(d), '--data', '{}', '--event-id', '01890a5d-ac96-774b-bcce-b302099a805'], /not a UUID/],
    ['a bad --expected-version', (d: string) => [...APPEND(d), '--data', '{}', '--expected-version', 'latest'], /--expected-version must be/],
    ['a negative --expected-version', (d: string) => [...APPEND(d), '--data', '{}', '--expected-version', '-1'], /--expected-version/],
    ['a missing --stream', (d: string) => ['append', d, '--type', 'T', '--data', '{}'], /--stream is required/],
    ['a missing --type', (d: string) => ['append', d, '--stream', 's', '--data', '{}'], /--type is required/],
    ['neither --data nor --data-file', (d: string) => APPEND(d), /exactly one of --data or --data-file/],
    ['both --data and --data-file', (d: string) => [...APPEND(d), '--data', '{}', '--data-file', 'x.json'], /exactly one of --data or --data-file/],
    ['an empty --stream', (d: string) => ['append', d, '--stream', '', '--type', 'T', '--data', '{}'], /stream id must not be empty/],
    ['a --stream with a control character', (d: string) => ['append', d, '--stream', 'a\u0007b', '--type', 'T', '--data', '{}'], /control characters/],
    ['an unknown flag', (d: string) => [...APPEND(d), '--data', '{}', '--colour', 'red'], /--colour/],
    ['an unknown flag on read', (d: string) => ['read', d, '--reverse'], /--reverse/],
    ['an unknown command', (d: string) => ['frobnicate', d], /^unknown command "frobnicate"/],
    ['a missing positional', () => ['stats'], /^missing <store>/],
    ['an extra positional', (d: string) => ['stats', d, 'extra'], /^unexpected argument extra/],
    ['a negative --limit', (d: string) => ['read', d, '--limit', '-1'], /--limit/],
    ['a fractional --limit', (d: string) => ['read', d, '--limit', '2.5'], /--limit must be a whole number/],
    ['a non-numeric --from', (d: string) => ['read', d, '--from', 'abc'], /--from must be a whole number/],
    ['a non-numeric --to on export', (d: string) => ['export', d, '--to', '1.5'], /--to must be a whole number/],
    ['a zero --batch-size on import', (d: string) => ['import', d, join(d, 'x.ndjson'), '--batch-size', '0'], /--batch-size must be a whole number ≥ 1/],
  ])('%s', async (_what, args, message) => {
    const { dir, expectUnchanged } = shared!;
    const error = await runCliError(args(dir), 2);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(message);
    expectUnchanged();
  });

  it('in text mode too: the message and a hint on stderr, nothing on stdout', async () => {
    const { dir, expectUnchanged } = storeWithThreeEvents();
    const r = await runCli([...APPEND(dir), '--data', '{"a":']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error INVALID_INPUT: --data is not valid JSON: /);
    expect(r.stderr).toContain('Correct the input');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace: this is not a bug
    expectUnchanged();
  });

  it.each(['append', 'read', 'export', 'stats', 'verify', 'import'])('a missing store given to %s exits 2 with NOT_FOUND and creates nothing', async (command) => {
    const missing = temp.path('no-store-here');
    const extra = command === 'append' ? ['--stream', 's', '--type', 'T', '--data', '{}'] : command === 'import' ? ['-'] : [];
    const error = await runCliError([command, missing, ...extra], 2, { input: '{"streamId":"s","type":"T","data":{}}\n' });
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(`pconsole init ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });

  it('a folder that is not a store is NOT_FOUND too, and stays untouched', async () => {
    const folder = temp.dir();
    writeFileSync(join(folder, 'unrelated.txt'), 'x');
    const error = await runCliError([...APPEND(folder), '--data', '{}'], 2);
    expect(error.message).toContain('is not a store');
    expect(readdirSync(folder)).toEqual(['unrelated.txt']);
  });
});

describe('a malformed import file exits 2 and imports nothing', () => {
  const good = (i: number) => JSON.stringify({ streamId: `s-${i % 7}`, type: 'Imported', data: { i } });

  it.each([
    ['malformed JSON', '{"streamId":"s","type":', /^line 5000: malformed JSON/],
    ['a line that is not an event', '{"streamId":"s","type":"T"}', /^line 5000: data: /],
    ['a bad UUID', '{"streamId":"s","type":"T","data":{},"eventId":"xyz"}', /^line 5000: eventId: not a UUID/],
    ['a half exported event', '{"streamId":"s","type":"T","data":{},"globalPosition":4}', /^line 5000: an exported event needs/],
  ])('%s on line 5,000 of 8,000 (after several batches would have been written)', async (_what, badLine, message) => {
    const { dir, expectUnchanged } = storeWithThreeEvents();
    const lines = Array.from({ length: 8000 }, (_, i) => (i === 4999 ? badLine : good(i)));
    const file = join(temp.dir(), 'bad.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const error = await runCliError(['import', dir, file, '--batch-size', '500'], 2);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(message);
    expect(error.details).toMatchObject({ line: 5000 });
    expectUnchanged();
  });

  it('the same event id twice in the file with different content (lines 10 and 6,000) is DUPLICATE_EVENT_ID (exit 1) before any batch is written', async () => {
    const { dir, expectUnchanged } = storeWithThreeEvents();
    const id = '0190a000-0000-7000-8000-0000000000aa';
    const lines = Array.from({ length: 8000 }, (_, i) => JSON.stringify({ streamId: 's', type: 'T', data: { i }, ...(i === 9 || i === 5999 ? { eventId: id } : {}) }));
    const error = await runCliError(['import', dir, writeLines(lines)], 1);
    expect(error.code).toBe('DUPLICATE_EVENT_ID');
    expect(error.message).toMatch(/^line 6000: /);
    expect(error.message).toContain('line 10');
    expectUnchanged();
  });

  it('new events followed by exported events (more than a batch of them) are refused before anything is written', async () => {
    const dir = temp.path();
    createFilledStore(dir, 0);
    const source = temp.path('source');
    createFilledStore(source, 5);
    const exported = (await runCli(['export', source])).stdout.trim().split('\n');
    const lines = [...Array.from({ length: 1500 }, (_, i) => good(i)), ...exported];
    const error = await runCliError(['import', dir, writeLines(lines)], 2);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^line 1501: /);
    expect(rawEvents(dir)).toEqual([]);
  });

  it('from stdin as well, leaving no spool file behind', async () => {
    const { dir, expectUnchanged } = storeWithThreeEvents();
    const input = [good(1), good(2), 'not json at all', good(3)].join('\n') + '\n';
    const error = await runCliError(['import', dir, '-'], 2, { input });
    expect(error.message).toMatch(/^line 3: malformed JSON/);
    expectUnchanged();
  });

  it('an import file that does not exist is NOT_FOUND (exit 2)', async () => {
    const { dir, expectUnchanged } = storeWithThreeEvents();
    const error = await runCliError(['import', dir, join(dir, 'missing.ndjson')], 2);
    expect(error.code).toBe('NOT_FOUND');
    expectUnchanged();
  });
});
