import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStore } from '../../main/store/eventStore.js';
import { expectConsistentStore } from '../helpers/checkStore.js';
import { parseNdjson, runCli, runCliError, runCliJson } from '../helpers/cli.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { rawEvents } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

interface ImportJson {
  imported: number;
  skipped: number;
  headPosition: number;
}
interface StatsJson {
  storeId: string;
  headPosition: number;
  headHash: string;
  events: number;
  streams: number;
}

/** A store with varied content: unicode, nested and empty JSON, caller ids, several streams. */
async function variedStore(events = 40): Promise<string> {
  const store = EventStore.create(temp.path('source'));
  try {
    for (let i = 0; i < events; i++) {
      await store.append({
        streamId: ['orders-ü', 'users/42', 'stream "quoted"', '🚀'][i % 4]!,
        events: [
          {
            type: i % 2 === 0 ? 'Créé' : 'Updated',
            data: i % 5 === 0 ? {} : { i, text: `línea ${i} \u2028 \\ "q"`, nested: { list: [i, null, true, { deep: [] }] }, n: i / 3 },
            metadata: i % 3 === 0 ? {} : { correlationId: randomUUID(), actor: 'ädmin' },
            ...(i % 4 === 1 ? { eventId: randomUUID() } : {}),
          },
        ],
      });
    }
    return store.dir;
  } finally {
    store.close();
  }
}

async function exportOf(dir: string, ...flags: string[]): Promise<string> {
  const r = await runCli(['export', dir, ...flags]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

function writeTemp(name: string, text: string): string {
  const file = join(temp.dir(), name);
  writeFileSync(file, text);
  return file;
}

describe('pconsole import of new events', () => {
  it('imports 12,000 lines in batches of 1,000: one commit per batch, every field kept', async () => {
    const dir = temp.path();
    createFilledStore(dir, 0);
    const ids = Array.from({ length: 12_000 }, () => randomUUID());
    const lines = ids.map((eventId, i) =>
      JSON.stringify({
        streamId: `account-${i % 50}`,
        type: 'Deposited',
        data: { i, amount: i % 97 },
        ...(i % 2 === 0 ? { metadata: { source: 'bank' } } : {}),
        ...(i % 3 === 0 ? { eventId } : {}),
        ...(i === 0 ? { recordedAt: '2020-02-02T02:02:02.002Z' } : i === 1 ? { recordedAt: 1580608922003 } : {}),
      }),
    );
    const file = writeTemp('new.ndjson', lines.join('\n') + '\n\n'); // a trailing blank line is ignored
    const result = await runCliJson<ImportJson>(['import', dir, file, '--batch-size', '1000']);
    expect(result).toEqual({ imported: 12_000, skipped: 0, headPosition: 12_000 });

    const rows = expectConsistentStore(dir);
    expect(rows).toHaveLength(12_000);
    rows.forEach((r, i) => {
      expect(JSON.parse(r.data)).toEqual({ i, amount: i % 97 });
      if (i % 3 === 0) expect(r.event_id).toBe(ids[i]);
    });
    expect(rows[0]!.metadata).toBe('{"source":"bank"}');
    expect(rows[1]!.metadata).toBe('{}');
    expect(rows[0]!.recorded_at).toBe(Date.parse('2020-02-02T02:02:02.002Z'));
    expect(rows[1]!.recorded_at).toBe(1580608922003);
    expect(rows.filter((r) => r.stream_id === 'account-7').map((r) => r.stream_version)).toEqual(Array.from({ length: 240 }, (_, i) => i));
    // Lines without a time get their batch's commit time: one time per batch of 1,000 lines.
    for (let batch = 0; batch < 12; batch++) {
      const times = new Set(rows.slice(batch * 1000 + 2, (batch + 1) * 1000).map((r) => r.recorded_at));
      expect(times.size, `batch ${batch}`).toBe(1);
    }
  });

  it('prints a summary line without --json', async () => {
    const dir = temp.path();
    createFilledStore(dir, 2);
    const file = writeTemp('two.ndjson', '{"streamId":"s","type":"T","data":{}}\n{"streamId":"s","type":"T","data":{"b":1}}\n');
    const r = await runCli(['import', dir, file]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('imported 2 events, skipped 0 already present; head is now 4\n');
  });

  it('an empty file or blank lines import nothing and succeed', async () => {
    const dir = temp.path();
    createFilledStore(dir, 2);
    expect(await runCliJson<ImportJson>(['import', dir, writeTemp('empty.ndjson', '')])).toEqual({ imported: 0, skipped: 0, headPosition: 2 });
    expect(await runCliJson<ImportJson>(['import', dir, '-'], { input: '\n  \n\n' })).toEqual({ imported: 0, skipped: 0, headPosition: 2 });
  });

  it('reads from stdin with "-"', async () => {
    const dir = temp.path();
    createFilledStore(dir, 0);
    const input = Array.from({ length: 2500 }, (_, i) => JSON.stringify({ streamId: `s${i % 3}`, type: 'Piped', data: { i } })).join('\n');
    expect(await runCliJson<ImportJson>(['import', dir, '-'], { input })).toEqual({ imported: 2500, skipped: 0, headPosition: 2500 });
    expect(expectConsistentStore(dir).map((r) => (JSON.parse(r.data) as { i: number }).i)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
  });

  it('re-importing lines with event ids skips the ones already present', async () => {
    const dir = temp.path();
    createFilledStore(dir, 0);
    const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ streamId: 's', type: 'T', data: { i }, eventId: randomUUID() }));
    const file = writeTemp('ids.ndjson', lines.join('\n'));
    expect(await runCliJson<ImportJson>(['import', dir, file])).toEqual({ imported: 30, skipped: 0, headPosition: 30 });
    expect(await runCliJson<ImportJson>(['import', dir, file])).toEqual({ imported: 0, skipped: 30, headPosition: 30 });
    expectConsistentStore(dir);
  });

  it('a line whose event id exists with other content is DUPLICATE_EVENT_ID (exit 1) and nothing is imported', async () => {
    const dir = temp.path();
    createFilledStore(dir, 3);
    const taken = rawEvents(dir)[1]!.event_id;
    const lines = [
      '{"streamId":"s","type":"T","data":{"a":1}}',
      JSON.stringify({ streamId: 's', type: 'T', data: { other: true }, eventId: taken }),
    ];
    const error = await runCliError(['import', dir, writeTemp('dup.ndjson', lines.join('\n'))], 1);
    expect(error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', details: { line: 2, eventId: taken } });
    expect(rawEvents(dir)).toHaveLength(3);
  });
});

describe('export → import', () => {
  it('into a fresh store reproduces the same positions and hashes', async () => {
    const source = await variedStore();
    const exported = await exportOf(source);
    const target = temp.path('target');
    await runCliJson(['init', target]);
    expect(await runCliJson<ImportJson>(['import', target, writeTemp('export.ndjson', exported)])).toEqual({ imported: 40, skipped: 0, headPosition: 40 });

    const [a, b] = await Promise.all([runCliJson<StatsJson>(['stats', source]), runCliJson<StatsJson>(['stats', target])]);
    expect(b.headHash).toBe(a.headHash);
    expect(b).toMatchObject({ headPosition: 40, events: 40, streams: a.streams });
    expect(b.storeId).not.toBe(a.storeId);
    expect(await exportOf(target)).toBe(exported);
    const [ra, rb] = [rawEvents(source), rawEvents(target)];
    expect(rb).toEqual(ra);
    expectConsistentStore(target);
  });

  it('in two parts (--to, then --from) continues the chain into the same store', async () => {
    const source = await variedStore(30);
    const target = temp.path('target');
    await runCliJson(['init', target]);
    expect(await runCliJson<ImportJson>(['import', target, writeTemp('a.ndjson', await exportOf(source, '--to', '17'))])).toMatchObject({ imported: 17 });
    expect(await runCliJson<ImportJson>(['import', target, '-'], { input: await exportOf(source, '--from', '18') })).toEqual({
      imported: 13,
      skipped: 0,
      headPosition: 30,
    });
    expect(rawEvents(target)).toEqual(rawEvents(source));
  });

  it('re-importing the same export into the same store skips everything', async () => {
    const source = await variedStore(25);
    const before = rawEvents(source);
    const file = writeTemp('export.ndjson', await exportOf(source));
    expect(await runCliJson<ImportJson>(['import', source, file])).toEqual({ imported: 0, skipped: 25, headPosition: 25 });
    expect(rawEvents(source)).toEqual(before);
  });

  it('an export overlapping the head imports only the events after it', async () => {
    const source = await variedStore(30);
    const target = temp.path('target');
    await runCliJson(['init', target]);
    await runCliJson(['import', target, writeTemp('first.ndjson', await exportOf(source, '--to', '12'))]);
    expect(await runCliJson<ImportJson>(['import', target, writeTemp('all.ndjson', await exportOf(source))])).toEqual({
      imported: 18,
      skipped: 12,
      headPosition: 30,
    });
    expect(rawEvents(target)).toEqual(rawEvents(source));
  });

  it('into a store with other events fails with INTEGRITY_VIOLATION (exit 1) and writes nothing', async () => {
    const source = await variedStore(10);
    const exported = writeTemp('export.ndjson', await exportOf(source));
    const other = temp.path('other');
    createFilledStore(other, 4);
    const before = rawEvents(other);
    const error = await runCliError(['import', other, exported], 1);
    expect(error.code).toBe('INTEGRITY_VIOLATION');
    expect(error.details).toMatchObject({ line: 1 });
    expect(rawEvents(other)).toEqual(before);
    // The same when the other store is longer than the export.
    const longer = temp.path('longer');
    createFilledStore(longer, 15);
    expect((await runCliError(['import', longer, exported], 1)).code).toBe('INTEGRITY_VIOLATION');
    expect(rawEvents(longer)).toHaveLength(15);
  });

  it('an export that skips positions (after the head) fails with INTEGRITY_VIOLATION and writes nothing', async () => {
    const source = await variedStore(10);
    const target = temp.path('target');
    await runCliJson(['init', target]);
    const error = await runCliError(['import', target, '-'], 1, { input: await exportOf(source, '--from', '4') });
    expect(error.code).toBe('INTEGRITY_VIOLATION');
    expect(error.message).toContain("this store's head is 0");
    expect(rawEvents(target)).toEqual([]);
  });

  it.each([
    ['its data', (e: Record<string, unknown>) => ({ ...e, data: { forged: true } })],
    ['its stream version', (e: Record<string, unknown>) => ({ ...e, streamVersion: (e.streamVersion as number) + 1 })],
    ['its time', (e: Record<string, unknown>) => ({ ...e, recordedAt: '1999-01-01T00:00:00.000Z' })],
    ['its hash', (e: Record<string, unknown>) => ({ ...e, hash: 'a'.repeat(64) })],
  ])('an export with %s altered on line 7 fails with INTEGRITY_VIOLATION naming the line, and writes nothing', async (_what, alter) => {
    const source = await variedStore(12);
    const lines = parseNdjson<Record<string, unknown>>(await exportOf(source));
    lines[6] = alter(lines[6]!);
    const target = temp.path('target');
    await runCliJson(['init', target]);
    const error = await runCliError(['import', target, writeTemp('forged.ndjson', lines.map((l) => JSON.stringify(l)).join('\n'))], 1);
    expect(error.code).toBe('INTEGRITY_VIOLATION');
    expect(error.message).toMatch(/^line 7: /);
    expect(rawEvents(target)).toEqual([]);
  });

  it('keeps a "__proto__" key of the data through append, export and import', async () => {
    const source = temp.path('source');
    await runCliJson(['init', source]);
    await runCliJson(['append', source, '--stream', 's', '--type', 'T', '--data', '{"__proto__":{"polluted":true},"a":1}']);
    expect(rawEvents(source)[0]!.data).toBe('{"__proto__":{"polluted":true},"a":1}');
    const target = temp.path('target');
    await runCliJson(['init', target]);
    expect(await runCliJson<ImportJson>(['import', target, '-'], { input: await exportOf(source) })).toMatchObject({ imported: 1 });
    expect(rawEvents(target)).toEqual(rawEvents(source));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
