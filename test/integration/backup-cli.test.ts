import { writeLockHeldBy } from '../helpers/locks.js';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finalNames, newKeyPair } from '../helpers/backup-files.js';
import { runCli, runCliError, runCliJson } from '../helpers/cli.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

interface CreateJson {
  archive: string | null;
  manifest: Record<string, unknown> & { kind: string; toPosition: number; encryption: string };
  sidecar?: string;
  nothingNew?: boolean;
}
interface ListJson {
  archives: Array<{ archive: string; manifest: { kind: string; fromPosition: number; toPosition: number }; verified: boolean }>;
  chains: Array<{ complete: boolean; archives: string[]; gaps: unknown[] }>;
  problems: unknown[];
}
interface VerifyJson {
  ok: boolean;
  archive: string;
  problems: Array<{ code: string; member: string | null; message: string }>;
}

function storeWith(events: number): string {
  const dir = temp.path();
  createFilledStore(dir, events, { perAppend: 20 });
  return dir;
}

describe('pconsole backup (DESIGN §6)', () => {
  it('create --json: {"archive","manifest"} with absolute paths and the §7 manifest; exit 0', async () => {
    const store = storeWith(60);
    const out = temp.dir();
    const r = await runCliJson<CreateJson>(['backup', 'create', store, '--out', out]);
    expect(r.archive).toMatch(new RegExp(`^${out}/[0-9a-f-]+-full-0-60-\\d{8}T\\d{6}Z\\.tar\\.gz$`));
    expect(Object.keys(r.manifest)).toEqual(['formatVersion', 'storeId', 'kind', 'fromPosition', 'toPosition', 'fromHash', 'toHash', 'eventCount', 'createdAt', 'toolVersion', 'encryption', 'members']);
    expect(r.manifest).toMatchObject({ kind: 'full', toPosition: 60, encryption: 'none' });
    expect(finalNames(out)).toEqual([basename(r.archive!), basename(r.archive!) + '.manifest.json']);
  });

  it('create --incremental continues the chain, and says when there is nothing new', async () => {
    const store = storeWith(40);
    const out = temp.dir();
    await runCliJson(['backup', 'create', store, '--out', out]);
    const nothing = await runCliJson<CreateJson>(['backup', 'create', store, '--out', out, '--incremental']);
    expect(nothing).toMatchObject({ archive: null, manifest: null, nothingNew: true });
    const text = await runCli(['backup', 'create', store, '--out', out, '--incremental']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^nothing new since .* \(position 40\): no archive written\n$/);
    await runCli(['append', store, '--stream', 's', '--type', 'Added', '--data', '{"n":1}']);
    const incr = await runCliJson<CreateJson>(['backup', 'create', store, '--out', out, '--incremental']);
    expect(incr.manifest).toMatchObject({ kind: 'incremental', fromPosition: 40, toPosition: 41 });
  });

  it('create with --recipient and --passphrase-file; verify needs the matching --identity / --passphrase-file', async () => {
    const store = storeWith(30);
    const keys = await newKeyPair();
    const dir = temp.dir();
    const identityFile = join(dir, 'key.txt');
    writeFileSync(identityFile, `# created: test\n# public key: ${keys.recipient}\n${keys.identity}\n`);
    const passFile = join(dir, 'pass.txt');
    writeFileSync(passFile, 'a long passphrase\n');
    const wrongPass = join(dir, 'wrong.txt');
    writeFileSync(wrongPass, 'not it\n');

    const toRecipient = await runCliJson<CreateJson>(['backup', 'create', store, '--out', temp.dir(), '--recipient', keys.recipient]);
    expect(toRecipient.archive).toMatch(/\.tar\.gz\.age$/);
    expect(toRecipient.manifest.encryption).toBe('age-recipient');
    expect(await runCliJson<VerifyJson>(['backup', 'verify', toRecipient.archive!, '--identity', identityFile])).toMatchObject({ ok: true, archive: toRecipient.archive, problems: [] });

    const withPass = await runCliJson<CreateJson>(['backup', 'create', store, '--out', temp.dir(), '--passphrase-file', passFile]);
    expect(withPass.manifest.encryption).toBe('age-passphrase');
    expect((await runCliJson<VerifyJson>(['backup', 'verify', withPass.archive!, '--passphrase-file', passFile])).ok).toBe(true);

    const wrong = await runCli(['backup', 'verify', withPass.archive!, '--passphrase-file', wrongPass, '--json']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('');
    expect((JSON.parse(wrong.stdout) as VerifyJson).problems).toEqual([expect.objectContaining({ code: 'DECRYPTION_FAILED', member: null })]);
    const missingKey = await runCliError(['backup', 'verify', withPass.archive!], 2);
    expect(missingKey.code).toBe('INVALID_INPUT');
  });

  it('list --json: {"archives":[{"archive","manifest","verified"}]} with chains and the verified state', async () => {
    const store = storeWith(20);
    const out = temp.dir();
    const full = await runCliJson<CreateJson>(['backup', 'create', store, '--out', out]);
    let list = await runCliJson<ListJson>(['backup', 'list', out]);
    expect(list.archives).toEqual([expect.objectContaining({ archive: full.archive, verified: false, manifest: expect.objectContaining({ kind: 'full', toPosition: 20 }) })]);
    expect(list.chains).toEqual([expect.objectContaining({ complete: true, archives: [full.archive], gaps: [] })]);
    await runCliJson(['backup', 'verify', full.archive!]);
    list = await runCliJson<ListJson>(['backup', 'list', out]);
    expect(list.archives[0]!.verified).toBe(true);
    const text = await runCli(['backup', 'list', out]);
    expect(text.stdout).toContain('verified ');
    expect(text.stdout).toContain('complete, restorable to 20');
  });

  it('verify of a damaged archive: exit 1, ARCHIVE_CORRUPT naming the member; text output names it too', async () => {
    const store = storeWith(2000);
    const out = temp.dir();
    const full = await runCliJson<CreateJson>(['backup', 'create', store, '--out', out]);
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(full.archive!);
    bytes[Math.floor(bytes.length / 2)]! ^= 1;
    writeFileSync(full.archive!, bytes);
    const r = await runCli(['backup', 'verify', full.archive!, '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as VerifyJson).problems[0]).toMatchObject({ code: 'ARCHIVE_CORRUPT', member: 'events.db' });
    const text = await runCli(['backup', 'verify', full.archive!]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^FAILED: .*\n {2}ARCHIVE_CORRUPT \[events\.db\]: /);
  });

  it('bad usage and missing things exit 2 with a JSON error on stderr; failures exit 1', async () => {
    const store = storeWith(5);
    const out = temp.dir();
    expect((await runCliError(['backup', 'create', store], 2)).message).toContain('--out');
    expect((await runCliError(['backup', 'create', store, '--out', out, '--recipient', 'age1nope'], 2)).code).toBe('INVALID_INPUT');
    expect((await runCliError(['backup', 'create', store, '--out', out, '--passphrase-file', join(out, 'absent')], 2)).code).toBe('NOT_FOUND');
    expect((await runCliError(['backup', 'create', store, '--out', out, '--passphrase-file', 'a', '--recipient', 'b'], 2)).message).toContain('not both');
    expect((await runCliError(['backup', 'create', store, '--out', out, '--compression-level', '11'], 2)).code).toBe('INVALID_INPUT');
    expect((await runCliError(['backup', 'create', store, '--out', out, '--bogus'], 2)).code).toBe('INVALID_INPUT');
    expect((await runCliError(['backup', 'create', join(out, 'no-store'), '--out', out], 2)).code).toBe('NOT_FOUND');
    expect((await runCliError(['backup', 'create', store, '--out', out, '--incremental'], 2)).code).toBe('NOT_FOUND');
    expect((await runCliError(['backup', 'list', join(out, 'absent')], 2)).code).toBe('NOT_FOUND');
    expect((await runCliError(['backup', 'verify', join(out, 'x.tar.gz')], 2)).code).toBe('NOT_FOUND');
    expect((await runCliError(['backup'], 2)).message).toContain('create, list, verify, prune');
    // A held lock: another backup is running in the folder.
    writeLockHeldBy(join(out, '.pconsole-backup.lock'), process.pid);
    expect((await runCliError(['backup', 'create', store, '--out', out], 1)).code).toBe('BUSY');
  });

  it('prune --keep-last keeps what the newest archives need (--json)', async () => {
    const store = storeWith(10);
    const out = temp.dir();
    const first = await runCliJson<CreateJson>(['backup', 'create', store, '--out', out]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await runCliJson<CreateJson>(['backup', 'create', store, '--out', out]);
    const dry = await runCliJson<{ wouldRemove: string[]; removed: string[]; dryRun: boolean }>(['backup', 'prune', out, '--keep-last', '1', '--dry-run']);
    expect(dry).toMatchObject({ dryRun: true, wouldRemove: [first.archive], removed: [] });
    const done = await runCliJson<{ removed: string[]; kept: string[] }>(['backup', 'prune', out, '--keep-last', '1']);
    expect(done).toMatchObject({ removed: [first.archive], kept: [second.archive] });
    expect((await runCliError(['backup', 'prune', out], 2)).code).toBe('INVALID_INPUT');
  });
});
