import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sidecarPathOf } from '../../main/backup/archiveName.js';
import { EventStore } from '../../main/store/eventStore.js';
import { newKeyPair } from '../helpers/backup-files.js';
import { runCli, runCliError, runCliJson } from '../helpers/cli.js';
import { createFilledStore, fillStore } from '../helpers/fixtures.js';
import { rawEvents } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

// Issue 9 class 3: a restore never says ok for less than it was asked. The manifest inside an archive is the
// authority; a sidecar that is unreadable or disagrees with it is reported and never shortens a restore;
// "latest" that cannot be reached is refused, naming the archive, its range and why. Every encryption mode,
// archives named one by one, real CLI processes (`npm run build:main` first).

const temp = useTempDirs();

interface RestoreJson {
  ok: boolean;
  headPosition: number;
  headHash: string;
  events: number;
  archives: Array<{ archive: string }>;
  warnings: string[];
}

type Mode = 'none' | 'passphrase' | 'recipient';

interface Made {
  readonly root: string;
  readonly store: string;
  readonly backups: string;
  /** full 0–400, incrementals 400–800 and 800–1200. */
  readonly archives: string[];
  /** The flags that open the archives (none for unencrypted ones). */
  readonly keyArgs: string[];
}

const made = new Map<Mode, Made>();

async function backedUp(mode: Mode): Promise<Made> {
  const root = mkdtempSync(join(tmpdir(), `pconsole-sidecars-${mode}-`));
  const store = join(root, 'store');
  const backups = join(root, 'backups');
  let createArgs: string[] = [];
  let keyArgs: string[] = [];
  if (mode === 'passphrase') {
    writeFileSync(join(root, 'pass'), 'a passphrase long enough\n');
    createArgs = keyArgs = ['--passphrase-file', join(root, 'pass')];
  } else if (mode === 'recipient') {
    const { identity, recipient } = await newKeyPair();
    writeFileSync(join(root, 'identity'), `${identity}\n`);
    createArgs = ['--recipient', recipient];
    keyArgs = ['--identity', join(root, 'identity')];
  }
  createFilledStore(store, 400, { streams: 4, perAppend: 40 });
  const archives: string[] = [];
  const backup = async (incremental: boolean) => {
    const out = await runCliJson<{ archive: string }>(['backup', 'create', store, '--out', backups, ...createArgs, ...(incremental ? ['--incremental'] : [])]);
    archives.push(out.archive);
  };
  await backup(false);
  for (let i = 0; i < 2; i++) {
    const s = EventStore.open(store);
    fillStore(s, 400, { streams: 4, perAppend: 40 });
    s.close();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // archive names are to the second
    await backup(true);
  }
  return { root, store, backups, archives, keyArgs };
}

/** A copy of a mode's archives that a test may damage; the archives' paths in it. */
function copyOf(mode: Mode): { backups: string; archives: string[]; keyArgs: string[]; store: string } {
  const m = made.get(mode)!;
  const backups = join(temp.dir(), 'backups');
  cpSync(m.backups, backups, { recursive: true });
  return { backups, archives: m.archives.map((a) => join(backups, basename(a))), keyArgs: m.keyArgs, store: m.store };
}

/** Every archive and sidecar of a copy named one by one, as `restore a b c …` takes them. */
function oneByOne(archives: readonly string[]): string[] {
  return archives.flatMap((a) => [a, sidecarPathOf(a)]);
}

function editSidecar(archive: string, change: (manifest: Record<string, unknown>) => void): void {
  const manifest = JSON.parse(readFileSync(sidecarPathOf(archive), 'utf8')) as Record<string, unknown>;
  change(manifest);
  writeFileSync(sidecarPathOf(archive), JSON.stringify(manifest, null, 2) + '\n');
}

const MODES: readonly Mode[] = ['none', 'passphrase', 'recipient'];

beforeAll(async () => {
  for (const mode of MODES) made.set(mode, await backedUp(mode));
}, 180_000);
afterAll(() => {
  for (const m of made.values()) rmSync(m.root, { recursive: true, force: true });
});

describe.each(MODES)('restore with a wrong sidecar (encryption: %s)', (mode) => {
  it('unreadable sidecars of the incrementals: the manifests inside are read, the restore reaches the newest archive, and says so', async () => {
    const { archives, keyArgs, store } = copyOf(mode);
    writeFileSync(sidecarPathOf(archives[1]!), 'not a manifest at all');
    writeFileSync(sidecarPathOf(archives[2]!), '{"formatVersion": 1');
    const to = join(temp.dir(), 'restored');
    const out = await runCliJson<RestoreJson>(['restore', ...archives, '--to', to, ...keyArgs]);
    expect(out).toMatchObject({ ok: true, headPosition: 1200, events: 1200 });
    expect(out.archives.map((a) => basename(a.archive))).toEqual(archives.map((a) => basename(a)));
    expect(out.headHash).toBe(rawEvents(store)[1199]!.hash);
    expect(out.warnings.join('\n')).toContain(`${basename(archives[1]!)}: its sidecar cannot be used`);
    expect(out.warnings.join('\n')).toContain(`${basename(archives[2]!)}: its sidecar cannot be used`);
    expect(rawEvents(to)).toHaveLength(1200);
  });

  it('a sidecar edited to break the chain (fromHash) or to end elsewhere (toHash): the restore follows the manifest inside and names what each said', async () => {
    const { archives, keyArgs } = copyOf(mode);
    editSidecar(archives[2]!, (m) => (m.fromHash = 'e'.repeat(64)));
    editSidecar(archives[1]!, (m) => (m.toHash = 'f'.repeat(64)));
    const to = join(temp.dir(), 'restored');
    const out = await runCliJson<RestoreJson>(['restore', ...oneByOne(archives), '--to', to, ...keyArgs]);
    expect(out).toMatchObject({ ok: true, headPosition: 1200 });
    const warnings = out.warnings.join('\n');
    expect(warnings).toContain(`the sidecar of ${basename(archives[2]!)} disagrees with manifest.json inside the archive (fromHash: the sidecar says eeeeeeeeeeee…`);
    expect(warnings).toContain(`the sidecar of ${basename(archives[1]!)} disagrees with manifest.json inside the archive (toHash: the sidecar says ffffffffffff…`);
  });

  it('a damaged newest incremental with an unreadable sidecar: "latest" is refused (exit 1), naming the archive, its range and why; a position before it restores', async () => {
    const { archives, keyArgs } = copyOf(mode);
    writeFileSync(sidecarPathOf(archives[2]!), '{');
    const bytes = readFileSync(archives[2]!);
    writeFileSync(archives[2]!, bytes.subarray(0, 40)); // cut inside the header: nothing of the manifest can be read
    const to = join(temp.dir(), 'restored');
    const error = await runCliError(['restore', ...archives, '--to', to, ...keyArgs], 1);
    expect(error.code).toBe('ARCHIVE_CORRUPT');
    expect(error.message).toContain(basename(archives[2]!));
    expect(error.message).toContain('positions 801–1200');
    expect(error.message).toContain('its sidecar cannot be used');
    expect(error.message).toContain('the manifest inside cannot be read either');
    expect(error.details).toMatchObject({ reason: 'ARCHIVE_UNREADABLE', reachablePosition: 800 });
    const short = await runCliJson<RestoreJson>(['restore', ...archives, '--to', to, '--position', '800', ...keyArgs]);
    expect(short).toMatchObject({ ok: true, headPosition: 800 });
  });
});

describe('the catalog, verification and drills with a wrong sidecar', () => {
  it('`backup verify` passes the archive and warns of its sidecar, field by field; `backup list` then shows it', async () => {
    const { backups, archives } = copyOf('none');
    editSidecar(archives[1]!, (m) => (m.toHash = 'f'.repeat(64)));
    const verify = await runCliJson<{ ok: boolean; problems: unknown[]; warnings: Array<{ member: string; check: string; message: string }> }>(['backup', 'verify', archives[1]!]);
    expect(verify).toMatchObject({ ok: true, problems: [] });
    expect(verify.warnings).toEqual([expect.objectContaining({ member: basename(sidecarPathOf(archives[1]!)), check: 'sidecar' })]);
    expect(verify.warnings[0]!.message).toContain('toHash: the sidecar says ffffffffffff…');
    const text = await runCli(['backup', 'verify', archives[1]!]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('warning [');
    const list = await runCliJson<{ archives: Array<{ archive: string; sidecarProblem: string | null }> }>(['backup', 'list', backups]);
    const listed = list.archives.find((a) => a.archive === archives[1]);
    expect(listed?.sidecarProblem).toContain('the sidecar disagrees with manifest.json inside the archive');
    expect(list.archives.find((a) => a.archive === archives[0])?.sidecarProblem ?? null).toBeNull();
    // A sidecar edited after the archive was verified is flagged too, without opening the archive.
    editSidecar(archives[1]!, (m) => (m.toolVersion = '9.9.9'));
    const again = await runCliJson<{ archives: Array<{ archive: string; sidecarProblem: string | null }> }>(['backup', 'list', backups]);
    expect(again.archives.find((a) => a.archive === archives[1])?.sidecarProblem).toContain('the sidecar changed after the archive was last verified');
  });

  it('a drill restores the newest archive through an unreadable sidecar, and fails (exit 1) when that archive cannot be read at all', async () => {
    const { archives, backups, store } = copyOf('none');
    const storeCopy = join(temp.dir(), 'store');
    cpSync(store, storeCopy, { recursive: true });
    writeFileSync(sidecarPathOf(archives[2]!), 'garbage');
    const out = await runCliJson<RestoreJson & { rpoMs: number }>(['drill', storeCopy, '--backups', backups]);
    expect(out).toMatchObject({ ok: true, headPosition: 1200 });
    expect(out.warnings.join('\n')).toContain(basename(archives[2]!));
    writeFileSync(archives[2]!, Buffer.from('not an archive'));
    const error = await runCliError(['drill', storeCopy, '--backups', backups], 1);
    expect(error).toMatchObject({ code: 'ARCHIVE_CORRUPT', details: { reason: 'ARCHIVE_UNREADABLE', reachablePosition: 800 } });
    expect(error.message).toContain('positions 801–1200');
  });
});
