import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors.js';
import { runCliJson } from '../helpers/cli.js';
import { cliCommand, expectCliFailure, expectOneErrorLine, spawnCommand } from '../helpers/cliFailures.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { rawEvents } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

/**
 * Issue 9, class 6: what an administrator can get wrong (a damaged or foreign file, a folder for a file,
 * a file for a folder, a flag out of range, TLS files that are not what they claim, no permission)
 * gets its stable code and one line, through the real CLI; never INTERNAL with a stack trace.
 */
const temp = useTempDirs();
const isRoot = process.getuid?.() === 0;

/** A store with 2 events in a new temporary folder. */
function newStore(): string {
  const dir = temp.path();
  createFilledStore(dir, 2);
  return dir;
}

/** A folder for the fixtures of a `describe` (made in beforeAll: useTempDirs would remove it after the first test). */
function fixtureRoot(): () => string {
  let root: string | undefined;
  afterAll(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });
  return () => (root ??= mkdtempSync(join(tmpdir(), 'pconsole-reliability-')));
}

/** Overwrites bytes of a file in place. */
function patchFile(file: string, offset: number, bytes: readonly number[]): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.from(bytes), 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

describe('a damaged or misplaced events.db', () => {
  it.each<[string, (db: string) => void, ErrorCode, RegExp]>([
    // Byte 47 is the low byte of the schema format number (header offset 44): SQLite knows 1 to 4.
    ['a header naming a schema format this SQLite does not know', (db) => patchFile(db, 47, [9]), 'UNSUPPORTED_FORMAT', /unsupported file format/],
    ['a header that is not SQLite’s at all', (db) => patchFile(db, 0, [...Buffer.from('garbage header!!')]), 'INTEGRITY_VIOLATION', /damaged .*not a database/],
    [
      'a folder where events.db should be',
      (db) => {
        rmSync(db);
        mkdirSync(db);
      },
      'INTEGRITY_VIOLATION',
      /events\.db is a folder, not a database file/,
    ],
  ])('%s: every command that opens the store says so', async (_what, damage, code, message) => {
    const store = newStore();
    damage(join(store, 'events.db'));
    for (const args of [['stats', store], ['read', store], ['verify', store], ['append', store, '--stream', 's', '--type', 'T', '--data', '{}']]) {
      const error = await expectCliFailure(args, code, message);
      expect(error.message).toContain(join(store, 'events.db'));
    }
  });

  it('a header that only a newer SQLite may write (write version 3): reads work, an append is UNSUPPORTED_FORMAT and writes nothing', async () => {
    const store = newStore();
    patchFile(join(store, 'events.db'), 18, [3]);
    expect(await runCliJson(['stats', store])).toMatchObject({ events: 2 });
    await expectCliFailure(['append', store, '--stream', 's', '--type', 'T', '--data', '{}'], 'UNSUPPORTED_FORMAT', /only a newer SQLite may write it/);
    patchFile(join(store, 'events.db'), 18, [2]);
    expect(rawEvents(store)).toHaveLength(2);
  });

  it('a store path that is a file is no store (NOT_FOUND, exit 2)', async () => {
    const file = join(temp.dir(), 'a-file');
    writeFileSync(file, 'x');
    await expectCliFailure(['stats', file], 'NOT_FOUND', /is not a store/);
    await expectCliFailure(['init', file], 'INVALID_INPUT', /exists and is not a folder/);
  });
});

describe('a folder where a file is wanted, a file where a folder is wanted', () => {
  const fixtures = fixtureRoot();
  let store: string;
  let backups: string;
  let archive: string;
  let aFile: string;
  let aFolder: string;
  beforeAll(() => {
    const root = fixtures();
    store = join(root, 'store');
    createFilledStore(store, 2);
    backups = join(root, 'backups');
    mkdirSync(backups);
    aFile = join(root, 'a-file');
    writeFileSync(aFile, 'not a folder');
    aFolder = join(root, 'a-folder');
    mkdirSync(aFolder);
    execFileSync(process.execPath, cliCommand(['backup', 'create', store, '--out', backups])[1]);
    archive = join(backups, readdirSync(backups).find((name) => name.endsWith('.tar.gz'))!);
  });

  it.each<[string, () => string[], ErrorCode, RegExp]>([
    ['--data-file naming a folder', () => ['append', store, '--stream', 's', '--type', 'T', '--data-file', aFolder], 'INVALID_INPUT', /--data-file .* is a folder, not a file/],
    ['import of a folder', () => ['import', store, aFolder], 'INVALID_INPUT', /it is not a file/],
    ['backup create --out naming an existing file', () => ['backup', 'create', store, '--out', aFile], 'INVALID_INPUT', /already exists/],
    ['backup create --out below a file', () => ['backup', 'create', store, '--out', join(aFile, 'x')], 'INVALID_INPUT', /a part of the path is a file/],
    ['backup create --passphrase-file naming a folder', () => ['backup', 'create', store, '--out', backups, '--passphrase-file', aFolder], 'INVALID_INPUT', /passphrase file .* is a folder/],
    ['backup create --sign-key naming a folder', () => ['backup', 'create', store, '--out', backups, '--sign-key', aFolder], 'INVALID_INPUT', /is not a file/],
    ['backup list of a file', () => ['backup', 'list', aFile], 'NOT_FOUND', /is not a folder/],
    ['restore --to naming an existing file', () => ['restore', backups, '--to', aFile], 'INVALID_INPUT', /already exists/],
    ['restore --passphrase-file naming a folder', () => ['restore', backups, '--to', join(aFolder, 'new'), '--passphrase-file', aFolder], 'INVALID_INPUT', /passphrase file .* is a folder/],
    ['restore --identity naming a folder', () => ['restore', backups, '--to', join(aFolder, 'new'), '--identity', aFolder], 'INVALID_INPUT', /identity file .* is a folder/],
    ['backup verify --trust-key naming a folder', () => ['backup', 'verify', archive, '--trust-key', aFolder], 'INVALID_INPUT', /is not a file/],
  ])('%s', async (_what, args, code, message) => {
    const before = rawEvents(store);
    await expectCliFailure(args(), code, message);
    expect(rawEvents(store)).toEqual(before);
  });
});

describe('serve: flags and TLS files checked before anything listens', () => {
  const fixtures = fixtureRoot();
  let store: string;
  let tls: string;
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    const root = fixtures();
    store = join(root, 'store');
    createFilledStore(store, 1);
    tls = join(root, 'tls');
    mkdirSync(tls);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tls, stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'ed25519', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-nodes', '-subj', '/CN=localhost');
    openssl('req', '-x509', '-newkey', 'ed25519', '-keyout', 'other-key.pem', '-out', 'other-cert.pem', '-days', '2', '-nodes', '-subj', '/CN=localhost');
    openssl('pkey', '-in', 'key.pem', '-out', 'encrypted-key.pem', '-aes256', '-passout', 'pass:secret');
    openssl('genrsa', '-traditional', '-aes256', '-passout', 'pass:secret', '-out', 'encrypted-rsa-key.pem', '2048');
    writeFileSync(join(tls, 'not-pem.txt'), 'this is not a certificate\n');
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
  });

  const serve = (...flags: string[]) => ['serve', store, ...flags];
  const file = (name: string) => join(tls, name);

  it.each<[string, () => string[], ErrorCode, RegExp]>([
    ['--port 70000', () => serve('--port', '70000'), 'INVALID_INPUT', /--port must be a whole number from 0 to 65535, got "70000"/],
    ['--port=-1', () => serve('--port=-1'), 'INVALID_INPUT', /--port must be a whole number from 0 to 65535, got "-1"/],
    ['--port -1 (a value that looks like a flag)', () => serve('--port', '-1'), 'INVALID_INPUT', /'--port'.*use '--port=-XYZ'/],
    ['--port abc', () => serve('--port', 'abc'), 'INVALID_INPUT', /--port must be a whole number/],
    ['a port another program listens on', () => serve('--port', String(busyPort)), 'BUSY', /in use/],
    ['a host that is not an address of this machine', () => serve('--host', '192.0.2.1', '--insecure-remote', '--port', '0'), 'INVALID_INPUT', /not an address of this machine/],
    ['a certificate that is not PEM', () => serve('--tls-cert', file('not-pem.txt'), '--tls-key', file('key.pem')), 'INVALID_INPUT', /--tls-cert .*not-pem\.txt is not a certificate/],
    ['a key that is not PEM', () => serve('--tls-cert', file('cert.pem'), '--tls-key', file('not-pem.txt')), 'INVALID_INPUT', /--tls-key .*not-pem\.txt is not a private key/],
    ['a key given as the certificate', () => serve('--tls-cert', file('key.pem'), '--tls-key', file('key.pem')), 'INVALID_INPUT', /is not a certificate/],
    ['an encrypted PKCS#8 key', () => serve('--tls-cert', file('cert.pem'), '--tls-key', file('encrypted-key.pem')), 'INVALID_INPUT', /is encrypted with a passphrase/],
    ['an encrypted traditional RSA key', () => serve('--tls-cert', file('cert.pem'), '--tls-key', file('encrypted-rsa-key.pem')), 'INVALID_INPUT', /is encrypted with a passphrase/],
    ['a key that is not the certificate’s', () => serve('--tls-cert', file('cert.pem'), '--tls-key', file('other-key.pem')), 'INVALID_INPUT', /is not the key of the certificate/],
    ['a certificate that is a folder', () => serve('--tls-cert', tls, '--tls-key', file('key.pem')), 'INVALID_INPUT', /--tls-cert .* is a folder, not a file/],
    ['a certificate that does not exist', () => serve('--tls-cert', file('missing.pem'), '--tls-key', file('key.pem')), 'NOT_FOUND', /does not exist/],
  ])('%s', async (_what, args, code, message) => {
    await expectCliFailure(args(), code, message, { timeoutMs: 20_000 });
  });
});

describe('no permission (as root, permissions must be made to bite)', () => {
  const withoutRoot = isRoot && spawnSync('setpriv', ['--version']).status === 0 ? undefined : 'needs root and setpriv to run the CLI as nobody';

  it('a store folder this user may not enter: PERMISSION_DENIED, not "no store here"', async (ctx) => {
    if (withoutRoot !== undefined) return ctx.skip(withoutRoot);
    const store = newStore();
    chmodSync(join(store, '..'), 0o755); // nobody may reach the store folder…
    chmodSync(store, 0o700); // …but not enter it
    const asNobody = (args: string[]) => spawnCommand('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...cliCommand(args).flat()]);
    const json = await asNobody(['stats', store, '--json']);
    expect(json.code, json.stderr).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'PERMISSION_DENIED' } });
    expect((JSON.parse(json.stderr) as { error: { message: string } }).error.message).toContain(`cannot open the store at ${store}: permission denied`);
    expectOneErrorLine(await asNobody(['stats', store]), 'PERMISSION_DENIED');
    expectOneErrorLine(await asNobody(['append', store, '--stream', 's', '--type', 'T', '--data', '{}']), 'PERMISSION_DENIED');
    expect(rawEvents(store)).toHaveLength(2);
  });

  it('a store on a read-only file system: PERMISSION_DENIED naming why, in one line (not NOT_FOUND for a file that is there)', async (ctx) => {
    if (!isRoot) return ctx.skip('needs root to bind-mount a folder read-only');
    const source = newStore();
    const mountPoint = join(temp.dir(), 'read-only');
    cpSync(source, mountPoint, { recursive: true });
    const bind = spawnSync('mount', ['--bind', mountPoint, mountPoint], { encoding: 'utf8' });
    if (bind.status !== 0) return ctx.skip(`cannot bind-mount here: ${bind.stderr.trim()}`);
    try {
      const remount = spawnSync('mount', ['-o', 'remount,ro,bind', mountPoint], { encoding: 'utf8' });
      if (remount.status !== 0) return ctx.skip(`cannot remount read-only here: ${remount.stderr.trim()}`);
      // A closed store has no events.db-shm, and SQLite must create one even to read a WAL database.
      await expectCliFailure(['stats', mountPoint], 'PERMISSION_DENIED', /events\.db-shm .* is on a read-only file system/);
      await expectCliFailure(['append', mountPoint, '--stream', 's', '--type', 'T', '--data', '{}'], 'PERMISSION_DENIED', /read-only file system/);
    } finally {
      spawnSync('umount', [mountPoint]);
    }
    expect(rawEvents(mountPoint)).toHaveLength(2);
  });
});
