import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { archivePathOf, formatArchiveName, parseArchiveName } from '../../main/backup/archiveName.js';
import { manifestContradictions, nameContradictions, parseManifest, serializeManifest } from '../../main/backup/manifest.js';
import { GZIP_BLOCK, ParallelGzip } from '../../main/platform/parallelGzip.js';
import { formatSha256Sums, parseSha256Sums } from '../../main/backup/sha256sums.js';
import type { BackupManifest } from '../../shared/backup.js';
import { GENESIS_HASH } from '../../shared/events.js';
import { expectConsoleError } from '../helpers/expectError.js';

const STORE = '0192f0c4-1a2b-7c3d-8e4f-0123456789ab';
const H = (c: string) => c.repeat(64);

const full: BackupManifest = {
  formatVersion: 1,
  storeId: STORE,
  kind: 'full',
  fromPosition: 0,
  toPosition: 120,
  fromHash: GENESIS_HASH,
  toHash: H('a'),
  eventCount: 120,
  createdAt: '2026-03-04T05:06:07.890Z',
  toolVersion: '0.1.0',
  encryption: 'age-recipient',
  members: [{ name: 'events.db', bytes: 4096, sha256: H('b') }],
};

describe('archive names (DESIGN §7)', () => {
  it('formats <storeId>-<full|incr>-<from>-<to>-<UTC yyyymmddThhmmssZ>.tar.gz[.age] and parses it back', () => {
    const name = formatArchiveName({ storeId: STORE, kind: 'incremental', fromPosition: 120, toPosition: 250, createdAtMs: Date.parse('2026-03-04T05:06:07.890Z'), encrypted: true });
    expect(name).toBe(`${STORE}-incr-120-250-20260304T050607Z.tar.gz.age`);
    expect(parseArchiveName(name)).toEqual({ storeId: STORE, kind: 'incremental', fromPosition: 120, toPosition: 250, createdAtSecond: '2026-03-04T05:06:07Z', encrypted: true });
    expect(parseArchiveName(`${STORE}-full-0-1-20260304T050607Z.tar.gz`)?.encrypted).toBe(false);
    expect(parseArchiveName('events.tar.gz')).toBeUndefined();
    expect(parseArchiveName(`${STORE}-full-0-1-20261304T050607Z.tar.gz`)).toBeUndefined();
  });

  it('finds the archive from its sidecar or verification record', () => {
    const archive = `/b/${STORE}-full-0-1-20260304T050607Z.tar.gz`;
    expect(archivePathOf(archive + '.manifest.json')).toBe(archive);
    expect(archivePathOf(archive + '.verification.json')).toBe(archive);
    expect(archivePathOf('/b/notes.txt')).toBeUndefined();
  });
});

describe('manifest', () => {
  it('serialises in a stable order and parses back', () => {
    expect(parseManifest(serializeManifest(full), 'x')).toEqual(full);
    expect(Object.keys(JSON.parse(serializeManifest(full)) as object)).toEqual([
      'formatVersion',
      'storeId',
      'kind',
      'fromPosition',
      'toPosition',
      'fromHash',
      'toHash',
      'eventCount',
      'createdAt',
      'toolVersion',
      'encryption',
      'members',
    ]);
  });

  it('bad JSON or shape is ARCHIVE_CORRUPT, a newer format UNSUPPORTED_FORMAT', async () => {
    await expectConsoleError(() => parseManifest('{', 'm'), 'ARCHIVE_CORRUPT');
    await expectConsoleError(() => parseManifest(JSON.stringify({ ...full, toHash: 'nope' }), 'm'), 'ARCHIVE_CORRUPT');
    await expectConsoleError(() => parseManifest(JSON.stringify({ ...full, formatVersion: 99 }), 'm'), 'UNSUPPORTED_FORMAT');
  });

  it('finds contradictions in positions, counts, members and the name', () => {
    expect(manifestContradictions(full)).toEqual([]);
    expect(manifestContradictions({ ...full, eventCount: 3 })).toHaveLength(1);
    expect(manifestContradictions({ ...full, fromPosition: 5, eventCount: 115 })).toHaveLength(1);
    expect(manifestContradictions({ ...full, kind: 'incremental', fromPosition: 100, fromHash: H('c'), eventCount: 20 })).toEqual([
      'an incremental archive must list events.ndjson',
      'an incremental archive lists only events.ndjson',
    ]);
    expect(nameContradictions(`${STORE}-full-0-120-20260304T050607Z.tar.gz.age`, full)).toEqual([]);
    expect(nameContradictions(`${STORE}-full-0-121-20260304T050607Z.tar.gz`, full)).toHaveLength(2);
  });
});

describe('SHA256SUMS', () => {
  it('writes the sha256sum format and reads it back; anything else is ARCHIVE_CORRUPT', async () => {
    const text = formatSha256Sums([{ name: 'manifest.json', sha256: H('1') }, { name: 'events.db', sha256: H('2') }]);
    expect(text).toBe(`${H('1')}  manifest.json\n${H('2')}  events.db\n`);
    expect(parseSha256Sums(text)).toEqual(new Map([['manifest.json', H('1')], ['events.db', H('2')]]));
    expect(parseSha256Sums(`${H('3')} *events.db\n`).get('events.db')).toBe(H('3'));
    await expectConsoleError(() => parseSha256Sums('garbage\n'), 'ARCHIVE_CORRUPT');
    await expectConsoleError(() => parseSha256Sums(`${H('1')}  a\n${H('2')}  a\n`), 'ARCHIVE_CORRUPT');
  });
});

describe('ParallelGzip', () => {
  it.each([0, 1, GZIP_BLOCK - 1, GZIP_BLOCK, 3 * GZIP_BLOCK + 5])('%i bytes gunzip back to the input, with Node and with gzip -d', async (size) => {
    // Half random, half repetitive: both incompressible and compressible blocks.
    const input = Buffer.concat([randomBytes(Math.floor(size / 2)), Buffer.alloc(size - Math.floor(size / 2), 'event ')]);
    const gz = new ParallelGzip({ level: 6, parallelism: 3 });
    const output = buffer(gz);
    Readable.from(input.length === 0 ? [] : [input.subarray(0, 1000), input.subarray(1000)]).pipe(gz);
    const out = await output;
    expect(gunzipSync(out).equals(input)).toBe(true);
    const system = spawnSync('gzip', ['-dc'], { input: out, maxBuffer: 64 * 1024 * 1024 });
    expect(system.status).toBe(0);
    expect(system.stdout.equals(input)).toBe(true);
  });
});
