import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliError, runCliJson } from '../helpers/cli.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { rawHeadPosition, withRawDb } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

interface VerifyJson {
  ok: boolean;
  checkedEvents: number;
  firstBadPosition: number | null;
  problems: Array<{ code: string; position: number | null; message: string }>;
}

async function verifyJson(dir: string, expectedCode: 0 | 1): Promise<VerifyJson> {
  const r = await runCli(['verify', dir, '--json']);
  expect(r.code, r.stderr).toBe(expectedCode);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as VerifyJson;
}

describe('pconsole verify', () => {
  it('passes an intact store: exit 0, ok, every event checked', async () => {
    const dir = temp.path();
    createFilledStore(dir, 60, { streams: 4, perAppend: 3 });
    const report = await verifyJson(dir, 0);
    expect(report).toMatchObject({ ok: true, checkedEvents: 60, firstBadPosition: null, problems: [] });
    const text = await runCli(['verify', dir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ok: 60 events, hash chain intact up to position 60 \([0-9a-f]{64}\)\n$/);
  });

  it.each([
    ['data', "UPDATE events SET data = '{\"n\":16,\"padding\":\"tampered\"}' WHERE global_position = 17"],
    ['metadata', "UPDATE events SET metadata = '{\"by\":\"someone else\"}' WHERE global_position = 17"],
    ['type', "UPDATE events SET type = 'Forged' WHERE global_position = 17"],
    ['recorded_at', 'UPDATE events SET recorded_at = recorded_at + 1 WHERE global_position = 17'],
    ['event_id', "UPDATE events SET event_id = '00000000-0000-4000-8000-000000000017' WHERE global_position = 17"],
  ])('names exactly the position whose %s was changed with raw SQL (exit 1)', async (_field, sql) => {
    const dir = temp.path();
    createFilledStore(dir, 60, { streams: 4, perAppend: 3 });
    expect(withRawDb(dir, (db) => db.prepare(sql).run().changes)).toBe(1);
    const report = await verifyJson(dir, 1);
    expect(report.ok).toBe(false);
    expect(report.firstBadPosition).toBe(17);
    expect(report.checkedEvents).toBe(60);
    expect(report.problems).toEqual([{ code: 'HASH_MISMATCH', position: 17, message: expect.stringContaining('position 17') as string }]);
  });

  it('names the changed position in text output too (exit 1)', async () => {
    const dir = temp.path();
    createFilledStore(dir, 60, { streams: 4, perAppend: 3 });
    withRawDb(dir, (db) => db.prepare("UPDATE events SET data = '{\"n\":41}' WHERE global_position = 42").run());
    const r = await runCli(['verify', dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.split('\n')[0], r.stderr).toBe('FAILED: first bad position 42; 1 problem(s) in 60 events');
    expect(r.stdout).toContain('  HASH_MISMATCH at 42: ');
    expect(r.stdout).not.toMatch(/at (?!42)\d+:/);
  });

  it('reports a deleted event in the middle of the log as a gap at its position', async () => {
    const dir = temp.path();
    createFilledStore(dir, 60, { streams: 2, perAppend: 5 });
    // Position 23 is the middle of an append of 5 events (21–25) to one stream.
    withRawDb(dir, (db) => db.prepare('DELETE FROM events WHERE global_position = 23').run());
    const report = await verifyJson(dir, 1);
    expect(report.firstBadPosition).toBe(23);
    expect(report.problems[0]).toMatchObject({ code: 'POSITION_GAP', position: 23 });
    expect(report.problems.map((p) => p.code)).not.toContain('HASH_MISMATCH');
  });

  it('reports a lost tail (head.json records a longer log) as HEAD_REGRESSION, in JSON and text', async () => {
    const dir = temp.path();
    createFilledStore(dir, 40, { streams: 1, perAppend: 10 });
    // The last append disappears whole, as a dropped WAL tail would make it.
    withRawDb(dir, (db) => {
      db.prepare('DELETE FROM events WHERE global_position > 30').run();
      db.prepare('UPDATE streams SET version = 29, last_position = 30').run();
    });
    const report = await verifyJson(dir, 1);
    expect(report).toMatchObject({ ok: false, checkedEvents: 30, firstBadPosition: 31 });
    expect(report.problems).toEqual([{ code: 'HEAD_REGRESSION', position: 31, message: expect.stringContaining('31–40') as string }]);
    const text = await runCli(['verify', dir]);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain('HEAD_REGRESSION at 31');
    // stats still answers and shows the problem.
    const stats = await runCliJson<{ headPosition: number; problems: Array<{ code: string }> }>(['stats', dir]);
    expect(stats.headPosition).toBe(30);
    expect(stats.problems.map((p) => p.code)).toEqual(['HEAD_REGRESSION']);
  });

  it('reports a damaged page of events.db with exit 1 and the first unreadable position, never as a crash', async () => {
    const dir = temp.path();
    createFilledStore(dir, 2000, { streams: 3, perAppend: 100, dataBytes: 100 });
    const fd = openSync(join(dir, 'events.db'), 'r+');
    try {
      writeSync(fd, Buffer.alloc(4096, 0x41), 0, 4096, 4096 * 99); // a page in the middle of the events table
    } finally {
      closeSync(fd);
    }
    const report = await verifyJson(dir, 1);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toContain('SQLITE_INTEGRITY');
    expect(report.firstBadPosition).toBeGreaterThan(1);
    expect(report.firstBadPosition).toBeLessThanOrEqual(2000);
    expect(report.checkedEvents).toBe(report.firstBadPosition! - 1);
  });

  it('reports a store whose first page is destroyed as INTEGRITY_VIOLATION (exit 1)', async () => {
    const dir = temp.path();
    createFilledStore(dir, 10);
    const fd = openSync(join(dir, 'events.db'), 'r+');
    try {
      writeSync(fd, Buffer.alloc(4096, 0x41), 0, 4096, 0);
    } finally {
      closeSync(fd);
    }
    const error = await runCliError(['verify', dir], 1);
    expect(error.code).toBe('INTEGRITY_VIOLATION');
    const text = await runCli(['verify', dir]);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stderr).toMatch(/^error INTEGRITY_VIOLATION: /);
  });

  it('leaves the store unchanged (verify only reads)', async () => {
    const dir = temp.path();
    createFilledStore(dir, 20);
    withRawDb(dir, (db) => db.prepare("UPDATE events SET data = '{}' WHERE global_position = 5").run());
    const before = withRawDb(dir, (db) => db.prepare('SELECT group_concat(hash) AS h FROM events').get());
    await verifyJson(dir, 1);
    expect(withRawDb(dir, (db) => db.prepare('SELECT group_concat(hash) AS h FROM events').get())).toEqual(before);
    expect(rawHeadPosition(dir)).toBe(20);
  });
});
