import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArchiveReadError } from '../../main/backup/archiveReader.js';
import { listCatalog } from '../../main/backup/catalog.js';
import { extractArchive } from '../../main/backup/extractArchive.js';
import { createBackup, type CreatedBackup } from '../../main/backup/createBackup.js';
import { readVerificationRecord } from '../../main/backup/verificationRecord.js';
import { verifyArchive } from '../../main/backup/verifyArchive.js';
import { EventStore } from '../../main/store/eventStore.js';
import type { ArchiveVerification } from '../../shared/backup.js';
import { newKeyPair } from '../helpers/backup-files.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { createFilledStore, fillStore } from '../helpers/fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

async function created(...args: Parameters<typeof createBackup>): Promise<CreatedBackup> {
  const r = await createBackup(...args);
  if (!r.created) throw new Error(r.message);
  return r;
}

/** A copy of an archive and its sidecar in a folder of its own, with one byte flipped at `fraction` of its length. */
function flippedCopy(archive: string, fraction: number, dir: string): string {
  const target = join(dir, basename(archive));
  const bytes = readFileSync(archive);
  bytes[Math.floor(bytes.length * fraction)]! ^= 0x20;
  writeFileSync(target, bytes);
  copyFileSync(archive + '.manifest.json', target + '.manifest.json');
  return target;
}

const codes = (r: ArchiveVerification) => r.problems.map((p) => `${p.code} ${p.member ?? '-'}`);

// Archives shared by the read-only tests: a store of ~3 MB so events.db spans many gzip blocks and age chunks.
let fullPlain: CreatedBackup;
let fullAge: CreatedBackup;
let incrPlain: CreatedBackup;
let keys: { identity: string; recipient: string };
beforeAll(async () => {
  keys = await newKeyPair();
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const root = mkdtempSync(join(tmpdir(), 'pconsole-backup-verify-'));
  const dir = join(root, 'store');
  createFilledStore(dir, 12_000, { streams: 10, perAppend: 1000, dataBytes: 150 });
  fullPlain = await created({ storeDir: dir, destination: join(root, 'plain'), kind: 'full', encryption: { kind: 'none' } });
  fullAge = await created({ storeDir: dir, destination: join(root, 'age'), kind: 'full', encryption: { kind: 'age-recipient', recipients: [keys.recipient] } });
  const store = EventStore.open(dir);
  fillStore(store, 3000, { perAppend: 500, dataBytes: 150 });
  store.close();
  incrPlain = await created({ storeDir: dir, destination: join(root, 'plain'), kind: 'incremental', encryption: { kind: 'none' } });
  return () => rmSync(root, { recursive: true, force: true });
});

describe('verifyArchive: intact archives', () => {
  it('passes full and incremental archives, encrypted or not, and records the result beside them', async () => {
    const plain = await verifyArchive({ archive: fullPlain.archive });
    expect(plain).toMatchObject({ ok: true, problems: [], eventsChecked: 12_000, continuity: 'not-applicable' });
    const age = await verifyArchive({ archive: fullAge.sidecar, keys: { identities: [keys.identity] } });
    expect(age).toMatchObject({ ok: true, archive: fullAge.archive, eventsChecked: 12_000 });
    const incr = await verifyArchive({ archive: incrPlain.archive });
    expect(incr).toMatchObject({ ok: true, eventsChecked: 3000, continuity: 'ok', previousArchive: fullPlain.archive });
    expect(await readVerificationRecord(fullPlain.archive)).toMatchObject({ ok: true, eventsChecked: 12_000 });
    const catalog = await listCatalog(join(fullPlain.archive, '..'));
    expect(catalog.entries.map((e) => e.verified)).toEqual([true, true]);
  });
});

describe('verifyArchive: one flipped byte is ARCHIVE_CORRUPT naming the member', () => {
  it.each([0.2, 0.5, 0.8, 0.97])('unencrypted full archive, byte at %f of the file: events.db', async (fraction) => {
    const r = await verifyArchive({ archive: flippedCopy(fullPlain.archive, fraction, temp.dir()), record: false });
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({ code: 'ARCHIVE_CORRUPT', member: 'events.db' });
  });

  it.each([0.2, 0.5, 0.8, 0.97])('age-encrypted full archive, byte at %f of the file: events.db', async (fraction) => {
    const r = await verifyArchive({ archive: flippedCopy(fullAge.archive, fraction, temp.dir()), keys: { identities: [keys.identity] }, record: false });
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({ code: 'ARCHIVE_CORRUPT', member: 'events.db' });
    expect(r.problems[0]!.message).toMatch(/age chunk \d+ .*failed authentication/);
  });

  it('incremental archive: events.ndjson', async () => {
    const r = await verifyArchive({ archive: flippedCopy(incrPlain.archive, 0.5, temp.dir()), record: false, previous: 'none' });
    expect(r.problems[0]).toMatchObject({ code: 'ARCHIVE_CORRUPT', member: 'events.ndjson' });
  });

  it('a changed sidecar is a warning naming the sidecar, never a problem of the archive (the manifest inside is the authority)', async () => {
    const dir = temp.dir();
    const copy = join(dir, basename(fullPlain.archive));
    copyFileSync(fullPlain.archive, copy);
    const sidecar = JSON.parse(readFileSync(fullPlain.sidecar, 'utf8')) as { toPosition: number; eventCount: number };
    writeFileSync(copy + '.manifest.json', JSON.stringify({ ...sidecar, eventCount: sidecar.eventCount - 1 }));
    const r = await verifyArchive({ archive: copy, record: false });
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.manifestSource).toBe('archive');
    expect(r.warnings.map((w) => `${w.code} ${w.member}`)).toContain(`ARCHIVE_CORRUPT ${basename(copy)}.manifest.json`);
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(/eventCount/);
  });

  it('a truncated archive is ARCHIVE_CORRUPT', async () => {
    const dir = temp.dir();
    const copy = join(dir, basename(fullPlain.archive));
    writeFileSync(copy, readFileSync(fullPlain.archive).subarray(0, 300_000));
    copyFileSync(fullPlain.sidecar, copy + '.manifest.json');
    const r = await verifyArchive({ archive: copy, record: false });
    expect(r.problems[0]).toMatchObject({ code: 'ARCHIVE_CORRUPT', member: 'events.db' });
  });

  it('an archive re-packed with a tampered event and matching checksums fails the hash chain', async () => {
    const work = temp.dir();
    execFileSync('tar', ['xzf', fullPlain.archive, '-C', work]);
    execFileSync('sqlite3', [join(work, 'events.db'), `UPDATE events SET data = '{"forged":true}' WHERE global_position = 4321`]);
    const sha = (f: string) => createHash('sha256').update(readFileSync(join(work, f))).digest('hex');
    const manifest = JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8')) as { members: Array<{ name: string; bytes: number; sha256: string }> };
    manifest.members[0]!.sha256 = sha('events.db');
    manifest.members[0]!.bytes = readFileSync(join(work, 'events.db')).length;
    writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    writeFileSync(join(work, 'SHA256SUMS'), `${sha('manifest.json')}  manifest.json\n${sha('events.db')}  events.db\n`);
    const out = temp.dir();
    const archive = join(out, basename(fullPlain.archive));
    execFileSync('tar', ['czf', archive, '-C', work, 'manifest.json', 'SHA256SUMS', 'events.db']);
    copyFileSync(join(work, 'manifest.json'), archive + '.manifest.json');
    const r = await verifyArchive({ archive, record: false });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'INTEGRITY_VIOLATION', member: 'events.db', check: 'chain' })]);
    expect(r.problems[0]!.message).toContain('HASH_MISMATCH at position 4321');
  });
});

describe('verifyArchive: keys', () => {
  it('a wrong identity or passphrase is DECRYPTION_FAILED, and not recorded as the archive’s state', async () => {
    const other = await newKeyPair();
    const dir = temp.dir();
    const copy = join(dir, basename(fullAge.archive));
    copyFileSync(fullAge.archive, copy);
    copyFileSync(fullAge.sidecar, copy + '.manifest.json');
    const wrongIdentity = await verifyArchive({ archive: copy, keys: { identities: [other.identity] } });
    expect(wrongIdentity).toMatchObject({ ok: false, problems: [expect.objectContaining({ code: 'DECRYPTION_FAILED', member: null })] });
    const wrongPassphrase = await verifyArchive({ archive: copy, keys: { passphrases: ['guess'] } });
    expect(codes(wrongPassphrase)).toEqual(['DECRYPTION_FAILED -']);
    expect(await readVerificationRecord(copy)).toBeUndefined();
    await expectConsoleError(() => verifyArchive({ archive: copy }), 'INVALID_INPUT');
  });

  it('a passphrase archive opens with its passphrase only', async () => {
    const dir = temp.path();
    createFilledStore(dir, 50);
    const archive = await created({ storeDir: dir, destination: temp.dir(), kind: 'full', encryption: { kind: 'age-passphrase', passphrase: 'right one', scryptLogN: 10 } });
    expect((await verifyArchive({ archive: archive.archive, keys: { passphrases: ['right one'] } })).ok).toBe(true);
    expect(codes(await verifyArchive({ archive: archive.archive, keys: { passphrases: ['wrong one'] } }))).toEqual(['DECRYPTION_FAILED -']);
  });
});

describe('verifyArchive: continuity and the catalog’s verified state', () => {
  it('an incremental without the archive before it is "unknown"; one after another history is broken', async () => {
    const alone = temp.dir();
    copyFileSync(incrPlain.archive, join(alone, basename(incrPlain.archive)));
    copyFileSync(incrPlain.sidecar, join(alone, basename(incrPlain.sidecar)));
    expect(await verifyArchive({ archive: join(alone, basename(incrPlain.archive)) })).toMatchObject({ ok: true, continuity: 'unknown' });
    const r = await verifyArchive({ archive: incrPlain.archive, previous: { archive: 'elsewhere', toPosition: incrPlain.manifest.fromPosition, toHash: 'f'.repeat(64) }, record: false });
    expect(r).toMatchObject({ ok: false, continuity: 'broken', problems: [expect.objectContaining({ code: 'INTEGRITY_VIOLATION', check: 'continuity' })] });
  });

  it('an archive changed after verification shows as no longer verified', async () => {
    const dir = temp.dir();
    const copy = join(dir, basename(fullPlain.archive));
    copyFileSync(fullPlain.archive, copy);
    copyFileSync(fullPlain.sidecar, copy + '.manifest.json');
    await verifyArchive({ archive: copy });
    expect((await listCatalog(dir)).entries[0]).toMatchObject({ verified: true, verification: { ok: true, stale: false } });
    appendFileSync(copy, 'x');
    expect((await listCatalog(dir)).entries[0]).toMatchObject({ verified: false, verification: { ok: true, stale: true } });
    const failed = await verifyArchive({ archive: copy });
    expect(failed.ok).toBe(false);
    expect((await listCatalog(dir)).entries[0]).toMatchObject({ verified: false, verification: { ok: false, stale: false } });
  });

  it('a missing archive is NOT_FOUND', async () => {
    await expectConsoleError(() => verifyArchive({ archive: join(temp.dir(), basename(fullPlain.archive)) }), 'NOT_FOUND');
  });
});

describe('extractArchive (the reader a restore uses)', () => {
  it('extracts every member checked against SHA256SUMS and the manifest', async () => {
    const dir = temp.dir();
    const result = await extractArchive(fullAge.archive, dir, { keys: { identities: [keys.identity] } });
    expect(result.manifest).toEqual(fullAge.manifest);
    expect(result.members.map((m) => m.name)).toEqual(['manifest.json', 'SHA256SUMS', 'events.db']);
    expect(readdirSync(dir).sort()).toEqual(['SHA256SUMS', 'events.db', 'manifest.json']);
  });

  it('a damaged archive is ARCHIVE_CORRUPT naming the member, and leaves nothing extracted; a wrong key is DECRYPTION_FAILED', async () => {
    const dir = temp.dir();
    const error = await expectConsoleError(() => extractArchive(flippedCopy(fullPlain.archive, 0.6, temp.dir()), dir), 'ARCHIVE_CORRUPT');
    expect(error).toBeInstanceOf(ArchiveReadError);
    expect((error as ArchiveReadError).member).toBe('events.db');
    expect(readdirSync(dir)).toEqual([]);
    const other = await newKeyPair();
    await expectConsoleError(() => extractArchive(fullAge.archive, temp.dir(), { keys: { identities: [other.identity] } }), 'DECRYPTION_FAILED');
  });
});
