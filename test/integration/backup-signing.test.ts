import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupManifest } from '../../shared/backup.js';
import { ApiPipeline, loadAllHandlers } from '../../main/api/index.js';
import { sidecarPathOf } from '../../main/backup/archiveName.js';
import { writeArchive } from '../../main/backup/archiveWriter.js';
import type { EncryptionSpec } from '../../main/backup/encryption.js';
import { serializeManifest } from '../../main/backup/manifest.js';
import { formatSha256Sums } from '../../main/backup/sha256sums.js';
import { ConsoleHost } from '../../main/host/consoleHost.js';
import { chainHash } from '../../main/store/hashChain.js';
import { EventStore } from '../../main/store/eventStore.js';
import { callValue, runJobToEnd, TEST_ADMIN } from '../helpers/apiCalls.js';
import { newKeyPair } from '../helpers/backup-files.js';
import { runCli, runCliError, runCliJson } from '../helpers/cli.js';
import { createFilledStore, fillStore } from '../helpers/fixtures.js';
import { rawEvents, withRawDb } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

// Issue 9 class 11: archive authenticity, through the real CLI (`npm run build:main` first). The forgery of the
// issue: with no secret at all (an unencrypted chain) or with only the recipient's public key, an attacker
// writes an incremental whose hash chain, checksums and manifest are all recomputed. Unsigned, it verifies and
// restores — that is what an unsigned archive proves: that it is internally consistent and continues its
// chain, not who made it. With a trusted key it is refused, and nothing is written.

const temp = useTempDirs();

interface KeyPair {
  readonly privateKeyFile: string;
  readonly publicKeyFile: string;
  readonly keyId: string;
}

interface VerifyJson {
  ok: boolean;
  problems: Array<{ code: string; member: string | null; message: string }>;
  signature: string;
  signingKeyId: string | null;
  trustedKeyId: string | null;
  continuity: string;
  eventsChecked: number;
}

interface EventLine {
  globalPosition: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
  hash: string;
}

type Mode = 'none' | 'recipient';

interface Chain {
  readonly store: string;
  /** full 0–300 and incremental 300–400, both signed by key A. */
  readonly genuine: string;
  readonly full: string;
  readonly incremental: string;
  /** The full archive and a forged, unsigned incremental 300–400 under the genuine one's name. */
  readonly forged: string;
  readonly forgedIncremental: string;
  /** Opens the archives (none for unencrypted ones); what the defender holds, never the attacker. */
  readonly keyArgs: string[];
}

/** The position whose event the forgery changes, and the data it gets. */
const FORGED_POSITION = 350;
const FORGED_DATA = { n: 349, padding: 'x', amount: 1_000_000, payTo: 'attacker' };

let root: string;
let keyA: KeyPair;
let keyB: KeyPair;
const chains = new Map<Mode, Chain>();

const short = (keyId: string) => keyId.slice(0, 16);
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The events of an unencrypted archive's events.ndjson, read with tar as anyone can. */
function eventsOfArchive(archive: string): EventLine[] {
  const dir = mkdtempSync(join(root, 'extract-'));
  execFileSync('tar', ['xzf', archive, '-C', dir]);
  return readFileSync(join(dir, 'events.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as EventLine);
}

/**
 * The forgery, with the project's own code: the events of `genuine` (their contents are the attacker's
 * choice; here the real ones with one changed, to show one small edit is enough), the hash chain recomputed
 * from the fromHash the plaintext sidecar gives, the member's checksum, SHA256SUMS and manifest written anew,
 * packed by the archive writer (encrypted to the recipient: a public key). `keepSignatureOf` also copies the
 * genuine archive's manifest.sig and signingKeyId, as an attacker who cannot sign would try.
 */
async function forgeIncremental(genuine: string, events: EventLine[], outDir: string, encryption: EncryptionSpec, keepSignatureOf?: string): Promise<string> {
  const sidecar = JSON.parse(readFileSync(sidecarPathOf(genuine), 'utf8')) as BackupManifest;
  let previous = sidecar.fromHash;
  const forged = events.map((e) => {
    const data = e.globalPosition === FORGED_POSITION ? FORGED_DATA : e.data;
    const hash = chainHash(previous, e.globalPosition, e.eventId, e.streamId, e.streamVersion, e.type, Date.parse(e.recordedAt), JSON.stringify(e.metadata), JSON.stringify(data));
    previous = hash;
    return { ...e, data, hash };
  });
  const staging = mkdtempSync(join(root, 'forge-'));
  const ndjson = Buffer.from(forged.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(join(staging, 'events.ndjson'), ndjson);
  const { signingKeyId, ...unsigned } = sidecar;
  const manifest: BackupManifest = {
    ...unsigned,
    toHash: previous,
    members: [{ name: 'events.ndjson', bytes: ndjson.length, sha256: sha256(ndjson) }],
    ...(keepSignatureOf === undefined ? {} : { signingKeyId }),
  };
  const manifestText = serializeManifest(manifest);
  writeFileSync(join(staging, 'manifest.json'), manifestText);
  const sums = [{ name: 'manifest.json', sha256: sha256(manifestText) }];
  if (keepSignatureOf !== undefined) {
    const dir = mkdtempSync(join(root, 'extract-'));
    execFileSync('tar', ['xzf', keepSignatureOf, '-C', dir, 'manifest.sig']);
    copyFileSync(join(dir, 'manifest.sig'), join(staging, 'manifest.sig'));
    sums.push({ name: 'manifest.sig', sha256: sha256(readFileSync(join(dir, 'manifest.sig'))) });
  }
  writeFileSync(join(staging, 'SHA256SUMS'), formatSha256Sums([...sums, ...manifest.members]));
  const archive = join(outDir, basename(genuine));
  const members = ['manifest.json', ...(keepSignatureOf === undefined ? [] : ['manifest.sig']), 'SHA256SUMS', 'events.ndjson'];
  await writeArchive({
    stagingDir: staging,
    members,
    tempPath: `${archive}.forging`,
    encryption,
    compressionLevel: 5,
    mtime: new Date(sidecar.createdAt),
    onPacked: () => undefined,
    isCancelled: () => false,
  });
  renameSync(`${archive}.forging`, archive);
  writeFileSync(sidecarPathOf(archive), manifestText);
  return archive;
}

async function signedChain(mode: Mode): Promise<Chain> {
  const dir = mkdtempSync(join(root, `chain-${mode}-`));
  const store = join(dir, 'store');
  const genuine = join(dir, 'genuine');
  const forged = join(dir, 'forged');
  let createArgs: string[] = [];
  let keyArgs: string[] = [];
  let recipient = '';
  if (mode === 'recipient') {
    const pair = await newKeyPair();
    writeFileSync(join(dir, 'identity'), `${pair.identity}\n`);
    recipient = pair.recipient;
    createArgs = ['--recipient', recipient];
    keyArgs = ['--identity', join(dir, 'identity')];
  }
  createFilledStore(store, 300, { streams: 3, perAppend: 10 });
  const full = (await runCliJson<{ archive: string }>(['backup', 'create', store, '--out', genuine, ...createArgs, '--sign-key', keyA.privateKeyFile])).archive;
  const s = EventStore.open(store);
  fillStore(s, 100, { streams: 3, perAppend: 10 });
  s.close();
  const incremental = (await runCliJson<{ archive: string }>(['backup', 'create', store, '--out', genuine, '--incremental', ...createArgs, '--sign-key', keyA.privateKeyFile])).archive;

  mkdirSync(forged);
  copyFileSync(full, join(forged, basename(full)));
  copyFileSync(sidecarPathOf(full), sidecarPathOf(join(forged, basename(full))));
  // Unencrypted, the real incremental is read with tar; encrypted, the attacker cannot read it and writes
  // events of their own after the sidecar's fromHash (here: the store's, which the test knows).
  const events =
    mode === 'none'
      ? eventsOfArchive(incremental)
      : rawEvents(store)
          .slice(300)
          .map((r) => ({ globalPosition: r.global_position, eventId: r.event_id, streamId: r.stream_id, streamVersion: r.stream_version, type: r.type, data: JSON.parse(r.data), metadata: JSON.parse(r.metadata), recordedAt: new Date(r.recorded_at).toISOString(), hash: r.hash }));
  const encryption: EncryptionSpec = mode === 'none' ? { kind: 'none' } : { kind: 'age-recipient', recipients: [recipient] };
  const forgedIncremental = await forgeIncremental(incremental, events, forged, encryption);
  return { store, genuine, full, incremental, forged, forgedIncremental, keyArgs };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pconsole-signing-'));
  keyA = await runCliJson<KeyPair>(['backup', 'keygen', '--out', join(root, 'keys-a')]);
  keyB = await runCliJson<KeyPair>(['backup', 'keygen', '--out', join(root, 'keys-b')]);
  for (const mode of ['none', 'recipient'] as const) chains.set(mode, await signedChain(mode));
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('backup keygen', () => {
  it('writes signing.key (0600) and signing.pub, whose id is the SHA-256 of the public key as openssl computes it, and never overwrites a key', async () => {
    expect(keyA.privateKeyFile).toBe(join(root, 'keys-a', 'signing.key'));
    expect(statSync(keyA.privateKeyFile).mode & 0o777).toBe(0o600);
    expect(statSync(keyA.publicKeyFile).mode & 0o777).toBe(0o644);
    expect(readFileSync(keyA.privateKeyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(keyA.publicKeyFile, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const der = execFileSync('openssl', ['pkey', '-pubin', '-in', keyA.publicKeyFile, '-outform', 'DER']);
    expect(keyA.keyId).toBe(sha256(der));
    expect(keyB.keyId).not.toBe(keyA.keyId);

    const before = readFileSync(keyA.privateKeyFile);
    const error = await runCliError(['backup', 'keygen', '--out', join(root, 'keys-a')], 2);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('already exists');
    expect(readFileSync(keyA.privateKeyFile).equals(before)).toBe(true);

    // A file where the folder should be: named as such (mkdir -p's EEXIST said nothing of it).
    const notAFolder = join(root, 'keys-a', 'signing.pub');
    const refused = await runCliError(['backup', 'keygen', '--out', notAFolder], 2);
    expect(refused).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(`${notAFolder} is not a folder`) as unknown });
  });
});

describe('a signed archive', () => {
  it('holds manifest.sig, which openssl verifies over manifest.json with signing.pub after tar xzf, and rejects once manifest.json changes', () => {
    const { full } = chains.get('none')!;
    const dir = mkdtempSync(join(root, 'by-hand-'));
    execFileSync('tar', ['xzf', full, '-C', dir]);
    expect(readdirSync(dir).sort()).toEqual(['SHA256SUMS', 'events.db', 'manifest.json', 'manifest.sig']);
    expect((JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest).signingKeyId).toBe(keyA.keyId);
    const openssl = () =>
      spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', keyA.publicKeyFile, '-rawin', '-in', join(dir, 'manifest.json'), '-sigfile', join(dir, 'manifest.sig')], { encoding: 'utf8' });
    const good = openssl();
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toContain('Signature Verified Successfully');
    writeFileSync(join(dir, 'manifest.json'), readFileSync(join(dir, 'manifest.json'), 'utf8').replace('"kind": "full"', '"kind": "full" '));
    expect(openssl().status).not.toBe(0);
  });

  it('verifies as signed by the trusted key with --trust-key, and as signed but unchecked without one', async () => {
    const { full, incremental } = chains.get('none')!;
    const trusted = await runCliJson<VerifyJson>(['backup', 'verify', incremental, '--trust-key', keyA.publicKeyFile]);
    expect(trusted).toMatchObject({ ok: true, signature: 'trusted', signingKeyId: keyA.keyId, trustedKeyId: keyA.keyId, continuity: 'ok', problems: [] });
    const unchecked = await runCliJson<VerifyJson>(['backup', 'verify', full]);
    expect(unchecked).toMatchObject({ ok: true, signature: 'unchecked', signingKeyId: keyA.keyId, trustedKeyId: null });
  });
});

describe.each(['none', 'recipient'] as const)('the forged incremental (encryption: %s)', (mode) => {
  it('unsigned, it passes backup verify and restore: the chain, checksums and continuity are all consistent, and the restored store holds the forged event', async () => {
    const { full, forgedIncremental, keyArgs } = chains.get(mode)!;
    const verified = await runCliJson<VerifyJson>(['backup', 'verify', forgedIncremental, ...keyArgs]);
    expect(verified).toMatchObject({ ok: true, signature: 'unsigned', signingKeyId: null, continuity: 'ok', eventsChecked: 100, problems: [] });
    const to = join(temp.dir(), 'restored');
    const restored = await runCliJson<{ ok: boolean; headPosition: number }>(['restore', full, forgedIncremental, '--to', to, ...keyArgs]);
    expect(restored).toMatchObject({ ok: true, headPosition: 400 });
    expect(JSON.parse(rawEvents(to)[FORGED_POSITION - 1]!.data)).toEqual(FORGED_DATA);
  });

  it('with --trust-key, backup verify answers UNTRUSTED_ARCHIVE (exit 1) and restore refuses it and writes nothing; the genuine chain passes', async () => {
    const { full, incremental, forgedIncremental, keyArgs } = chains.get(mode)!;
    const result = await runCli(['backup', 'verify', forgedIncremental, ...keyArgs, '--trust-key', keyA.publicKeyFile, '--json']);
    expect(result.code, result.stderr).toBe(1);
    const verified = JSON.parse(result.stdout) as VerifyJson;
    expect(verified).toMatchObject({ ok: false, signature: 'unsigned', signingKeyId: null, trustedKeyId: keyA.keyId });
    expect(verified.problems.map((p) => p.code)).toEqual(['UNTRUSTED_ARCHIVE']);

    const parent = temp.dir();
    const to = join(parent, 'restored');
    const error = await runCliError(['restore', full, forgedIncremental, '--to', to, ...keyArgs, '--trust-key', keyA.publicKeyFile], 1);
    expect(error.code).toBe('UNTRUSTED_ARCHIVE');
    expect(error.details.archive).toBe(forgedIncremental);
    expect(error.message).toContain('nothing was restored');
    expect(existsSync(to)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);

    const genuine = await runCliJson<{ ok: boolean; headPosition: number }>(['restore', full, incremental, '--to', to, ...keyArgs, '--trust-key', keyA.publicKeyFile]);
    expect(genuine).toMatchObject({ ok: true, headPosition: 400 });
    expect(JSON.parse(rawEvents(to)[FORGED_POSITION - 1]!.data)).not.toEqual(FORGED_DATA);
  });
});

describe('other signatures', () => {
  it('an incremental signed by another key: UNTRUSTED_ARCHIVE naming both key ids', async () => {
    const { store, full } = chains.get('none')!;
    const other = temp.dir();
    copyFileSync(full, join(other, basename(full)));
    copyFileSync(sidecarPathOf(full), join(other, basename(sidecarPathOf(full))));
    const { archive } = await runCliJson<{ archive: string }>(['backup', 'create', store, '--out', other, '--incremental', '--sign-key', keyB.privateKeyFile]);
    const result = await runCli(['backup', 'verify', archive, '--trust-key', keyA.publicKeyFile, '--json']);
    expect(result.code, result.stderr).toBe(1);
    const verified = JSON.parse(result.stdout) as VerifyJson;
    expect(verified).toMatchObject({ ok: false, signature: 'other-key', signingKeyId: keyB.keyId, trustedKeyId: keyA.keyId });
    expect(verified.problems).toHaveLength(1);
    expect(verified.problems[0]!.code).toBe('UNTRUSTED_ARCHIVE');
    expect(verified.problems[0]!.message).toContain(short(keyB.keyId));
    expect(verified.problems[0]!.message).toContain(short(keyA.keyId));
    const signedByB = await runCliJson<VerifyJson>(['backup', 'verify', archive, '--trust-key', keyB.publicKeyFile]);
    expect(signedByB).toMatchObject({ ok: true, signature: 'trusted' });
  });

  it('a forgery that keeps the genuine manifest.sig over its own manifest.json: the signature is invalid, by the console and by openssl', async () => {
    const { incremental, full } = chains.get('none')!;
    const dir = temp.dir();
    copyFileSync(full, join(dir, basename(full)));
    copyFileSync(sidecarPathOf(full), join(dir, basename(sidecarPathOf(full))));
    const forged = await forgeIncremental(incremental, eventsOfArchive(incremental), dir, { kind: 'none' }, incremental);
    const result = await runCli(['backup', 'verify', forged, '--trust-key', keyA.publicKeyFile, '--json']);
    expect(result.code, result.stderr).toBe(1);
    const verified = JSON.parse(result.stdout) as VerifyJson;
    expect(verified).toMatchObject({ ok: false, signature: 'invalid', signingKeyId: keyA.keyId, trustedKeyId: keyA.keyId });
    expect(verified.problems.map((p) => [p.code, p.member])).toEqual([['UNTRUSTED_ARCHIVE', 'manifest.sig']]);
    expect(verified.problems[0]!.message).toContain('does not verify');
    const byHand = mkdtempSync(join(root, 'by-hand-'));
    execFileSync('tar', ['xzf', forged, '-C', byHand]);
    const openssl = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', keyA.publicKeyFile, '-rawin', '-in', join(byHand, 'manifest.json'), '-sigfile', join(byHand, 'manifest.sig')]);
    expect(openssl.status).not.toBe(0);
  });
});

describe('backup list', () => {
  it('shows which archives are signed, by which key, and which are not; signed by the trusted key once verified against it', async () => {
    const { forged, genuine, incremental } = chains.get('none')!;
    const forgedList = await runCliJson<{ archives: Array<{ archive: string; signingKeyId: string | null }> }>(['backup', 'list', forged]);
    expect(forgedList.archives.map((a) => a.signingKeyId)).toEqual([keyA.keyId, null]);
    const text = await runCli(['backup', 'list', forged]);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[1]).toContain(`signed by key ${short(keyA.keyId)}…`);
    expect(lines[3]).toContain('unsigned');

    await runCliJson(['backup', 'verify', incremental, '--trust-key', keyA.publicKeyFile]);
    const after = await runCli(['backup', 'list', genuine]);
    expect(after.stdout.split('\n')[3]).toContain(`signed by the trusted key ${short(keyA.keyId)}…`);
  });
});

describe("the store's trusted key, set through the API", () => {
  interface AuditRow {
    actor: string;
    target: string;
    details: string;
  }
  const auditOf = (store: string) => withRawDb(store, (db) => db.prepare("SELECT actor, target, details FROM audit WHERE action = 'backup.trustedKey' ORDER BY seq").all() as AuditRow[]);

  it('is audited with the old and new key id, and then applies to verify, restore and drill without --trust-key', async () => {
    const { store, genuine, forged, full, forgedIncremental, incremental } = chains.get('none')!;
    await loadAllHandlers();
    const host = new ConsoleHost({ storePath: store, transport: 'test' });
    try {
      const pipeline = new ApiPipeline(host);
      expect(await callValue(pipeline, 'backup.trustedKey', {})).toEqual({ trustedKey: null });
      const refused = await pipeline.call(TEST_ADMIN, 'backup.setTrustedKey', { publicKey: 'not a key' });
      expect(refused.ok === false && refused.error.code).toBe('INVALID_INPUT');
      const viewer = await pipeline.call({ ...TEST_ADMIN, role: 'viewer' }, 'backup.setTrustedKey', { publicKeyFile: keyA.publicKeyFile });
      expect(viewer.ok === false && viewer.error.code).toBe('FORBIDDEN');

      await callValue(pipeline, 'backup.setTrustedKey', { publicKey: readFileSync(keyB.publicKeyFile, 'utf8') });
      const set = await callValue<{ trustedKey: { keyId: string } }>(pipeline, 'backup.setTrustedKey', { publicKeyFile: keyA.publicKeyFile });
      expect(set.trustedKey.keyId).toBe(keyA.keyId);
      expect(await callValue(pipeline, 'backup.trustedKey', {})).toMatchObject({ trustedKey: { keyId: keyA.keyId, publicKeyPem: readFileSync(keyA.publicKeyFile, 'utf8') } });
      expect(auditOf(store).map((r) => ({ ...r, details: JSON.parse(r.details) as unknown }))).toEqual([
        { actor: TEST_ADMIN.name, target: keyB.keyId, details: { keyId: keyB.keyId, previousKeyId: null } },
        { actor: TEST_ADMIN.name, target: keyA.keyId, details: { keyId: keyA.keyId, previousKeyId: keyB.keyId } },
      ]);

      const verifyForged = await runJobToEnd(pipeline, host, 'backup.verify', { archive: forgedIncremental });
      expect(verifyForged.job.result).toMatchObject({ ok: false, signature: 'unsigned', trustedKeyId: keyA.keyId, problems: [{ code: 'UNTRUSTED_ARCHIVE' }] });
      const verifyGenuine = await runJobToEnd(pipeline, host, 'backup.verify', { archive: incremental });
      expect(verifyGenuine.job.result).toMatchObject({ ok: true, signature: 'trusted', trustedKeyId: keyA.keyId });

      const to = join(temp.dir(), 'restored');
      const restore = await runJobToEnd(pipeline, host, 'recovery.restoreTo', { sources: [full, forgedIncremental], target: { kind: 'latest' }, to });
      expect(restore.job.state).toBe('failed');
      expect(restore.job.error?.code).toBe('UNTRUSTED_ARCHIVE');
      expect(existsSync(to)).toBe(false);
    } finally {
      await host.close();
    }

    // The CLI's drill opens the store and takes its trusted key.
    const drillForged = await runCliError(['drill', store, '--backups', forged], 1);
    expect(drillForged.code).toBe('UNTRUSTED_ARCHIVE');
    expect(drillForged.message).toContain(basename(forgedIncremental));
    const drillGenuine = await runCliJson<{ ok: boolean; headPosition: number }>(['drill', store, '--backups', genuine]);
    expect(drillGenuine).toMatchObject({ ok: true, headPosition: 400 });

    // Cleared (audited too), the store trusts no key and the forgery drills: the key was what refused it.
    const cleared = new ConsoleHost({ storePath: store, transport: 'test' });
    try {
      expect(await callValue(new ApiPipeline(cleared), 'backup.setTrustedKey', { clear: true })).toEqual({ trustedKey: null });
    } finally {
      await cleared.close();
    }
    expect(JSON.parse(auditOf(store).at(-1)!.details)).toEqual({ keyId: null, previousKeyId: keyA.keyId });
    expect(await runCliJson(['drill', store, '--backups', forged])).toMatchObject({ ok: true, headPosition: 400 });
  });
});
