import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decrypter } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { createBackup, type CreatedBackup } from '../../main/backup/createBackup.js';
import { extractArchive } from '../../main/backup/extractArchive.js';
import { EventStore } from '../../main/store/eventStore.js';
import { verifyLog } from '../../main/store/verify.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { newKeyPair } from '../helpers/backup-files.js';
import { runCli } from '../helpers/cli.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { rawEvents } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();
const DOC = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** Runs a shell command of the README in `cwd` and returns its stdout; the test fails on a non-zero exit. */
function sh(command: string, cwd: string, env: Record<string, string> = {}): string {
  expect(DOC, `the README shows: ${command}`).toContain(command);
  const r = spawnSync('sh', ['-c', command], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  expect(r.status, `${command}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** The README's sqlite3-only recipe for applying an incremental, exactly as printed there. */
function applyIncrementalBlock(): string {
  const block = /<!-- apply-incremental:start -->\n```sh\n([\s\S]*?)```\n<!-- apply-incremental:end -->/.exec(DOC);
  expect(block).not.toBeNull();
  return block![1]!;
}

async function created(...args: Parameters<typeof createBackup>): Promise<CreatedBackup> {
  const r = await createBackup(...args);
  if (!r.created) throw new Error(r.message);
  return r;
}

/** Events whose JSON exercises escapes, unicode, numbers and nesting: what a by-hand restore must keep byte for byte. */
function appendAwkwardEvents(dir: string, count: number, tag: string): void {
  const store = EventStore.open(dir);
  try {
    for (let i = 0; i < count; i++) {
      store.appendNow({
        streamId: `order-${i % 7}`,
        events: [
          {
            type: i % 2 === 0 ? 'OrderPlaced' : 'Note "quoted"',
            data: { tag, i, city: 'Gdańsk', emoji: '📦', text: 'line1\nline2\t"q" \\ /', big: 1e21, small: 1.5e-7, neg: -0.25, nested: { list: [1, 'two', null, true] } },
            metadata: { actor: 'restore-test', correlationId: `c-${i}` },
          },
        ],
      });
    }
  } finally {
    store.close();
  }
}

describe('restoring by hand with age, tar, sha256sum and sqlite3 (the README section)', () => {
  it('a recipient-encrypted full archive and two incrementals restore to exactly the original store', async () => {
    const dir = temp.path('original');
    createFilledStore(dir, 2000, { streams: 9, perAppend: 250 });
    const out = temp.dir();
    const keys = await newKeyPair();
    const encryption = { kind: 'age-recipient' as const, recipients: [keys.recipient] };
    const full = await created({ storeDir: dir, destination: out, kind: 'full', encryption });
    appendAwkwardEvents(dir, 120, 'first');
    const incr1 = await created({ storeDir: dir, destination: out, kind: 'incremental', encryption });
    appendAwkwardEvents(dir, 80, 'second');
    const incr2 = await created({ storeDir: dir, destination: out, kind: 'incremental', encryption });

    const work = temp.dir();
    writeFileSync(join(work, 'key.txt'), `# created: test\n# public key: ${keys.recipient}\n${keys.identity}\n`);
    const env = { FULL: full.archive, INCR1: incr1.archive };

    // The sidecars list the chain without any key.
    const listing = spawnSync('sh', ['-c', DOC.split('```sh\n').find((block) => block.startsWith('for f in *.manifest.json'))!.split('```')[0]!], { cwd: out, encoding: 'utf8' });
    expect(listing.stdout).toContain(`fromPosition=2000 toPosition=2120`);

    sh('age -d -i key.txt -o full.tar.gz "$FULL"', work, env);
    sh('mkdir restored && tar xzf full.tar.gz -C restored', work);
    expect(sh('(cd restored && sha256sum -c SHA256SUMS)', work)).toBe('manifest.json: OK\nevents.db: OK\n');
    expect(sh("sqlite3 restored/events.db 'PRAGMA integrity_check'", work)).toBe('ok\n');
    expect(sh("sqlite3 restored/events.db 'SELECT global_position, hash FROM events ORDER BY global_position DESC LIMIT 1'", work)).toBe(`2000|${full.manifest.toHash}\n`);

    // The first incremental with sqlite3 alone, exactly as the README prints it.
    sh('age -d -i key.txt -o incr1.tar.gz "$INCR1"', work, env);
    sh('mkdir incr1 && tar xzf incr1.tar.gz -C incr1', work);
    expect(sh('(cd incr1 && sha256sum -c SHA256SUMS)', work)).toBe('manifest.json: OK\nevents.ndjson: OK\n');
    sh(applyIncrementalBlock(), work);
    expect(sh("sqlite3 restored/events.db 'PRAGMA integrity_check'", work)).toBe('ok\n');
    expect(sh("sqlite3 restored/events.db 'SELECT global_position, hash FROM events ORDER BY global_position DESC LIMIT 1'", work)).toBe(`2120|${incr1.manifest.toHash}\n`);

    // The second with `pconsole import`, which checks the chain on the way in.
    execFileSync('sh', ['-c', 'age -d -i key.txt -o incr2.tar.gz "$INCR2" && mkdir incr2 && tar xzf incr2.tar.gz -C incr2 && (cd incr2 && sha256sum -c SHA256SUMS)'], {
      cwd: work,
      env: { ...process.env, INCR2: incr2.archive },
    });
    expect(DOC).toContain('pconsole import restored incr1/events.ndjson');
    const imported = await runCli(['import', join(work, 'restored'), join(work, 'incr2', 'events.ndjson'), '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 80, headPosition: 2200 });

    // The result is the original store, row for row, and its chain and streams table check out.
    expect(rawEvents(join(work, 'restored'))).toEqual(rawEvents(dir));
    const restored = EventStore.open(join(work, 'restored'), { readonly: true });
    try {
      const report = verifyLog(restored.db);
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, checkedEvents: 2200, headHash: incr2.manifest.toHash });
    } finally {
      restored.close();
    }
  });

  it('a passphrase-encrypted archive opens with this program’s reader, with the age-encryption library, and with age on a terminal', async () => {
    const dir = temp.path();
    createFilledStore(dir, 300, { perAppend: 100 });
    const archive = await created({ storeDir: dir, destination: temp.dir(), kind: 'full', encryption: { kind: 'age-passphrase', passphrase: 'correct horse battery' } });

    const extracted = await extractArchive(archive.archive, temp.dir(), { keys: { passphrases: ['correct horse battery'] } });
    expect(extracted.members.map((m) => m.name)).toEqual(['manifest.json', 'SHA256SUMS', 'events.db']);

    const decrypter = new Decrypter();
    decrypter.addPassphrase('correct horse battery');
    const tarGz = Buffer.from(await decrypter.decrypt(readFileSync(archive.archive)));
    const work = temp.dir();
    writeFileSync(join(work, 'full.tar.gz'), tarGz);
    sh('mkdir restored && tar xzf full.tar.gz -C restored', work);
    expect(sh('(cd restored && sha256sum -c SHA256SUMS)', work)).toBe('manifest.json: OK\nevents.db: OK\n');
    expect(sh("sqlite3 restored/events.db 'PRAGMA integrity_check'", work)).toBe('ok\n');

    // age reads passphrases only from a terminal: `script` gives it one where util-linux is installed.
    if (!existsSync('/usr/bin/script')) {
      console.warn('skipped the `age -d` passphrase check: /usr/bin/script (util-linux) is not installed to give age a terminal');
      return;
    }
    const tty = temp.dir();
    mkdirSync(join(tty, 'restored'));
    const r = spawnSync('script', ['-qec', `age -d -o full.tar.gz '${archive.archive}'`, '/dev/null'], { cwd: tty, input: 'correct horse battery\n', encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(tty, 'full.tar.gz')).equals(tarGz)).toBe(true);
  });
});
