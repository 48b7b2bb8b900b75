import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsMigrations } from '../../main/store/migrations/events/index.js';
import { latestVersion } from '../../main/store/migrations/runner.js';
import { parseNdjson, runCli, runCliError, runCliJson } from '../helpers/cli.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { CLI_PATH } from '../helpers/paths.js';
import { rawEvents, rawHeadPosition } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HASH = /^[0-9a-f]{64}$/;
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface AppendJson {
  globalPosition: number;
  streamVersion: number;
  eventId: string;
}

describe('pconsole (no command, help, version)', () => {
  it('--help lists the commands and exits 0; no arguments prints the same and exits 2', async () => {
    const help = await runCli(['--help']);
    expect(help.code, help.stderr).toBe(0);
    for (const c of ['init', 'append', 'import', 'read', 'export', 'stats', 'verify']) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const none = await runCli([]);
    expect(none.code, none.stderr).toBe(2);
    expect(none.stdout).toBe(help.stdout);
  });

  it('<command> --help prints its usage and exits 0', async () => {
    const r = await runCli(['append', '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage: pconsole append <store> --stream <id> --type <type>/);
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
  });
});

describe('pconsole init', () => {
  it('creates a store; --json gives its id, absolute path and format version', async () => {
    const parent = temp.dir();
    const out = await runCliJson<{ storeId: string; path: string; formatVersion: number }>(['init', 'relative/store'], { cwd: parent });
    expect(out.storeId).toMatch(UUID);
    expect(isAbsolute(out.path)).toBe(true);
    expect(out.path).toBe(join(parent, 'relative/store'));
    expect(out.formatVersion).toBe(latestVersion(eventsMigrations));
    expect(rawHeadPosition(out.path)).toBe(0);
  });

  it('prints a line of text without --json', async () => {
    const dir = temp.path();
    const r = await runCli(['init', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^created store [0-9a-f-]{36} at ${dir}\\n$`));
    expect(r.stderr).toBe('');
  });

  it('refuses an existing store or a non-empty folder with exit 2', async () => {
    const dir = temp.path();
    await runCliJson(['init', dir]);
    expect((await runCliError(['init', dir], 2)).code).toBe('INVALID_INPUT');
    const full = temp.dir();
    writeFileSync(join(full, 'notes.txt'), 'x');
    expect((await runCliError(['init', full], 2)).message).toContain('not empty');
  });
});

describe('pconsole append', () => {
  it('--json gives {globalPosition, streamVersion, eventId}; positions and versions follow on', async () => {
    const dir = temp.path();
    createFilledStore(dir, 3, { streams: 1 });
    const a = await runCliJson<AppendJson>(['append', dir, '--stream', 'orders', '--type', 'OrderPlaced', '--data', '{"total":5}', '--metadata', '{"actor":"cli"}']);
    expect(a).toMatchObject({ globalPosition: 4, streamVersion: 0 });
    expect(a.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const b = await runCliJson<AppendJson>(['append', dir, '--stream', 'orders', '--type', 'OrderPaid', '--data', '{}', '--expected-version', '0']);
    expect(b).toMatchObject({ globalPosition: 5, streamVersion: 1 });
    const rows = rawEvents(dir);
    expect(rows[3]).toMatchObject({ event_id: a.eventId, stream_id: 'orders', type: 'OrderPlaced', data: '{"total":5}', metadata: '{"actor":"cli"}' });
  });

  it('prints a line of text without --json', async () => {
    const dir = temp.path();
    createFilledStore(dir, 0);
    const r = await runCli(['append', dir, '--stream', 's', '--type', 'T', '--data', '{}']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^appended s@0 at position 1 \(event [0-9a-f-]{36}\)\n$/);
  });

  it('reads the data from a file or from stdin (--data-file -)', async () => {
    const dir = temp.path();
    createFilledStore(dir, 0);
    const file = join(temp.dir(), 'data.json');
    writeFileSync(file, '{"from":"file","ü":[1,2]}');
    await runCliJson(['append', dir, '--stream', 's', '--type', 'T', '--data-file', file]);
    await runCliJson(['append', dir, '--stream', 's', '--type', 'T', '--data-file', '-'], { input: '{"from":"stdin"}' });
    expect(rawEvents(dir).map((r) => r.data)).toEqual(['{"from":"file","ü":[1,2]}', '{"from":"stdin"}']);
  });

  it.each([
    ['no_stream on an existing stream', ['--expected-version', 'no_stream'], 2],
    ['an exact version that is stale', ['--expected-version', '0'], 2],
    ['stream_exists on a new stream', ['--expected-version', 'stream_exists', '--stream', 'fresh'], -1],
  ])('a conflict (%s) exits 1 with WRONG_EXPECTED_VERSION and the actual version', async (_what, flags, actual) => {
    const dir = temp.path();
    createFilledStore(dir, 3, { streams: 1 }); // stream-0 at version 2
    const args = ['append', dir, '--stream', 'stream-0', '--type', 'T', '--data', '{}', ...flags];
    const error = await runCliError(args, 1);
    expect(error.code).toBe('WRONG_EXPECTED_VERSION');
    expect(error.details.actualVersion).toBe(actual);
    expect(rawHeadPosition(dir)).toBe(3);
    const text = await runCli(args);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/^error WRONG_EXPECTED_VERSION: stream /);
    expect(text.stderr).toContain('re-read it and retry'); // the hint
  });

  it('the same --event-id with the same content is a no-op returning the original position (exit 0)', async () => {
    const dir = temp.path();
    createFilledStore(dir, 2);
    const id = randomUUID();
    const args = ['append', dir, '--stream', 's', '--type', 'T', '--data', '{"a":1}', '--event-id', id];
    const first = await runCliJson<AppendJson & { idempotent: boolean }>(args);
    const again = await runCliJson<AppendJson & { idempotent: boolean }>(args);
    expect(first).toMatchObject({ globalPosition: 3, eventId: id, idempotent: false });
    expect(again).toMatchObject({ globalPosition: 3, streamVersion: 0, eventId: id, idempotent: true });
    expect((await runCli(args)).stdout).toMatch(/^already appended s@0 at position 3/);
    expect(rawHeadPosition(dir)).toBe(3);
  });

  it('the same --event-id with other content exits 1 with DUPLICATE_EVENT_ID', async () => {
    const dir = temp.path();
    createFilledStore(dir, 0);
    const id = randomUUID();
    await runCliJson(['append', dir, '--stream', 's', '--type', 'T', '--data', '{"a":1}', '--event-id', id]);
    const error = await runCliError(['append', dir, '--stream', 's', '--type', 'T', '--data', '{"a":2}', '--event-id', id], 1);
    expect(error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', details: { eventId: id, globalPosition: 1 } });
    expect(rawHeadPosition(dir)).toBe(1);
  });
});

describe('pconsole read', () => {
  async function storeWithTwoStreams(): Promise<string> {
    const dir = temp.path();
    createFilledStore(dir, 30, { streams: 2, perAppend: 3 }); // stream-0: 1-3, 7-9, …; stream-1: 4-6, 10-12, …
    return dir;
  }
  const positions = (stdout: string) => parseNdjson<{ globalPosition: number }>(stdout).map((e) => e.globalPosition);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('prints every event as NDJSON in the §6b shape, with or without --json', async () => {
    const dir = await storeWithTwoStreams();
    const r = await runCli(['read', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const events = parseNdjson<Record<string, unknown>>(r.stdout);
    expect(events).toHaveLength(30);
    for (const e of events) {
      expect(Object.keys(e)).toEqual(['globalPosition', 'eventId', 'streamId', 'streamVersion', 'type', 'data', 'metadata', 'recordedAt', 'hash']);
      expect(e.eventId).toMatch(UUID);
      expect(e.hash).toMatch(HASH);
      expect(e.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(events[4]).toMatchObject({ globalPosition: 5, streamId: 'stream-1', streamVersion: 1, type: 'Filled', data: { n: 4 }, metadata: { by: 'fixture' } });
    expect((await runCli(['read', dir, '--json'])).stdout).toBe(r.stdout);
  });

  it('--from, --limit and --backwards select positions of the whole log', async () => {
    const dir = await storeWithTwoStreams();
    expect(positions((await runCli(['read', dir, '--from', '25'])).stdout)).toEqual(range(25, 30));
    expect(positions((await runCli(['read', dir, '--limit', '4'])).stdout)).toEqual([1, 2, 3, 4]);
    expect(positions((await runCli(['read', dir, '--from', '10', '--limit', '3'])).stdout)).toEqual([10, 11, 12]);
    expect(positions((await runCli(['read', dir, '--backwards', '--limit', '3'])).stdout)).toEqual([30, 29, 28]);
    expect(positions((await runCli(['read', dir, '--backwards', '--from', '5'])).stdout)).toEqual([5, 4, 3, 2, 1]);
    expect((await runCli(['read', dir, '--from', '31'])).stdout).toBe('');
    expect((await runCli(['read', dir, '--limit', '0'])).stdout).toBe('');
  });

  it('--stream reads one stream, combined with --from, --limit and --backwards', async () => {
    const dir = await storeWithTwoStreams();
    const s1 = [4, 5, 6, 10, 11, 12, 16, 17, 18, 22, 23, 24, 28, 29, 30];
    const stream = parseNdjson<{ globalPosition: number; streamId: string; streamVersion: number }>((await runCli(['read', dir, '--stream', 'stream-1'])).stdout);
    expect(stream.map((e) => e.globalPosition)).toEqual(s1);
    expect(stream.map((e) => e.streamVersion)).toEqual(range(0, 14));
    expect(positions((await runCli(['read', dir, '--stream', 'stream-1', '--limit', '2'])).stdout)).toEqual([4, 5]);
    expect(positions((await runCli(['read', dir, '--stream', 'stream-1', '--from', '12', '--limit', '4'])).stdout)).toEqual([12, 16, 17, 18]);
    expect(positions((await runCli(['read', dir, '--stream', 'stream-1', '--backwards', '--limit', '4'])).stdout)).toEqual([30, 29, 28, 24]);
    expect(positions((await runCli(['read', dir, '--stream', 'stream-1', '--backwards', '--from', '11'])).stdout)).toEqual([11, 10, 6, 5, 4]);
    expect((await runCli(['read', dir, '--stream', 'no-such-stream'])).stdout).toBe('');
  });

  it('pages through more than one page (1,000 events) without losing or repeating one', async () => {
    const dir = temp.path();
    createFilledStore(dir, 2500, { perAppend: 500 });
    expect(positions((await runCli(['read', dir])).stdout)).toEqual(range(1, 2500));
    expect(positions((await runCli(['read', dir, '--from', '900', '--limit', '1200'])).stdout)).toEqual(range(900, 2099));
    expect(positions((await runCli(['read', dir, '--backwards', '--limit', '1500'])).stdout)).toEqual(range(1001, 2500).reverse());
    expect(positions((await runCli(['read', dir, '--stream', 'stream-0', '--backwards'])).stdout)).toHaveLength(500);
  });
});

describe('pconsole read into a pipe closed early (`| head -1`)', () => {
  it('stops quietly with exit 0', async () => {
    const dir = temp.path();
    createFilledStore(dir, 5000, { perAppend: 1000 });
    const child = spawn(process.execPath, [CLI_PATH, 'read', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    let first = '';
    child.stdout.once('data', (b: Buffer) => {
      first = b.toString();
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first).toMatch(/^\{"globalPosition":1,/);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('pconsole export', () => {
  it('--from/--to are inclusive and --stream selects one stream; the lines are the read lines', async () => {
    const dir = temp.path();
    createFilledStore(dir, 20, { streams: 2, perAppend: 2 });
    const all = (await runCli(['read', dir])).stdout.split('\n').filter((l) => l !== '');
    const part = await runCli(['export', dir, '--from', '5', '--to', '8']);
    expect(part.code).toBe(0);
    expect(part.stdout).toBe(all.slice(4, 8).join('\n') + '\n');
    const stream = parseNdjson<{ streamId: string; globalPosition: number }>((await runCli(['export', dir, '--stream', 'stream-1', '--to', '12'])).stdout);
    expect(stream.map((e) => e.globalPosition)).toEqual([3, 4, 7, 8, 11, 12]);
    expect((await runCli(['export', dir, '--json'])).stdout).toBe(all.join('\n') + '\n');
  });
});

describe('pconsole stats', () => {
  it('--json has every field of the §6 shape with the right types', async () => {
    const dir = temp.path();
    createFilledStore(dir, 12, { streams: 3 });
    const s = await runCliJson<Record<string, unknown>>(['stats', dir]);
    expect(s).toMatchObject({
      storeId: expect.stringMatching(UUID) as string,
      formatVersion: latestVersion(eventsMigrations),
      events: 12,
      streams: 3,
      headPosition: 12,
      headHash: rawEvents(dir)[11]!.hash,
      sizeBytes: expect.any(Number) as number,
      walBytes: expect.any(Number) as number,
      durability: 'full',
    });
    expect(s.sizeBytes as number).toBeGreaterThan(0);
    expect(s.path).toBe(dir);
  });

  it('an empty store has head 0 and the genesis hash; text output names the durability', async () => {
    const dir = temp.path();
    createFilledStore(dir, 0);
    expect(await runCliJson(['stats', dir])).toMatchObject({ events: 0, streams: 0, headPosition: 0, headHash: '0'.repeat(64) });
    const text = await runCli(['stats', dir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^store {6}[0-9a-f-]{36} {2}\(/);
    expect(text.stdout).toContain('durability full (survives power loss)');
  });
});

describe('pconsole verify --json shape', () => {
  it('has ok, checkedEvents, firstBadPosition and problems', async () => {
    const dir = temp.path();
    createFilledStore(dir, 5);
    const v = await runCliJson<Record<string, unknown>>(['verify', dir]);
    expect(v).toMatchObject({ ok: true, checkedEvents: 5, firstBadPosition: null, problems: [] });
  });
});

describe('errors', () => {
  it('go to stderr as {"error":{code,message,details}} with --json, and as "error CODE: message" plus a hint without', async () => {
    const missing = temp.path('missing');
    const json = await runCliError(['stats', missing], 2);
    expect(json.code).toBe('NOT_FOUND');
    expect(json.message).toContain(missing);
    const text = await runCli(['stats', missing]);
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toBe('');
    expect(text.stderr.split('\n')[0]).toBe(`error NOT_FOUND: ${json.message}`);
    expect(text.stderr.split('\n')[1]).toMatch(/^ {2}\S/);
  });

  it('a store of a newer format is refused with UNSUPPORTED_FORMAT (exit 1) by every command', async () => {
    const dir = temp.path();
    createFilledStore(dir, 2);
    const { withRawDb } = await import('../helpers/rawDb.js');
    withRawDb(dir, (db) => db.pragma(`user_version = ${latestVersion(eventsMigrations) + 1}`));
    for (const args of [['stats', dir], ['verify', dir], ['read', dir], ['append', dir, '--stream', 's', '--type', 'T', '--data', '{}']]) {
      expect((await runCliError(args, 1)).code, args[0]).toBe('UNSUPPORTED_FORMAT');
    }
  });
});
