import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sidecarPathOf } from '../../main/backup/archiveName.js';
import { listDrills } from '../../main/recovery/drillRepository.js';
import { EventStore } from '../../main/store/eventStore.js';
import { runCli, runCliError, runCliJson } from '../helpers/cli.js';
import { createFilledStore, fillStore } from '../helpers/fixtures.js';
import { rawEvents } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

interface RestoreJson {
  ok: boolean;
  target: { kind: string; position: number; requestedPosition: number | null; requestedTime: string | null };
  headPosition: number;
  headHash: string;
  events: number;
  dryRun: boolean;
  steps: Array<{ name: string; ms: number }>;
  rtoMs: number;
  destination: string;
  archives: Array<{ archive: string }>;
  warnings: string[];
}

interface Made {
  readonly root: string;
  readonly store: string;
  readonly backups: string;
  readonly archives: string[];
}

/** A store of 1,500 events backed up with the CLI: a full archive at 500, incrementals at 1,000 and 1,500. */
async function backedUpWithCli(root: string): Promise<Made> {
  const store = join(root, 'store');
  const backups = join(root, 'backups');
  createFilledStore(store, 500, { streams: 5, perAppend: 50 });
  const archives: string[] = [];
  const backup = async (incremental: boolean) => {
    const out = await runCliJson<{ archive: string }>(['backup', 'create', store, '--out', backups, ...(incremental ? ['--incremental'] : [])]);
    archives.push(out.archive);
  };
  await backup(false);
  for (let i = 0; i < 2; i++) {
    const s = EventStore.open(store);
    fillStore(s, 500, { streams: 5, perAppend: 50 });
    s.close();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // archive names are to the second
    await backup(true);
  }
  return { root, store, backups, archives };
}

let made: Made;
beforeAll(async () => {
  made = await backedUpWithCli(mkdtempSync(join(tmpdir(), 'pconsole-recovery-cli-')));
}, 120_000);
afterAll(() => rmSync(made.root, { recursive: true, force: true }));

describe('pconsole restore', () => {
  it('--json prints the DESIGN §6 shape first, with absolute paths; the restored store equals the original up to the target', async () => {
    const to = join(temp.dir(), 'restored');
    const out = await runCliJson<RestoreJson>(['restore', made.backups, '--to', to, '--position', '1234']);
    expect(Object.keys(out).slice(0, 8)).toEqual(['ok', 'target', 'headPosition', 'headHash', 'events', 'dryRun', 'steps', 'rtoMs']);
    expect(out).toMatchObject({ ok: true, headPosition: 1234, events: 1234, dryRun: false, destination: to, target: { kind: 'position', requestedPosition: 1234, position: 1234 } });
    expect(out.steps.every((s) => typeof s.name === 'string' && typeof s.ms === 'number')).toBe(true);
    expect(out.rtoMs).toBeGreaterThan(0);
    const original = rawEvents(made.store);
    expect(out.headHash).toBe(original[1233]!.hash);
    expect(rawEvents(to).map((r) => r.hash)).toEqual(original.slice(0, 1234).map((r) => r.hash));
    const verify = await runCliJson<{ ok: boolean; checkedEvents: number }>(['verify', to]);
    expect(verify).toMatchObject({ ok: true, checkedEvents: 1234 });
  });

  it('takes `backups/*` (archives, sidecars, records) and --time; --dry-run writes nothing and prints text without --json', async () => {
    const time = new Date(rawEvents(made.store)[799]!.recorded_at).toISOString();
    const to = join(temp.dir(), 'restored');
    const everything = readdirSync(made.backups).map((n) => join(made.backups, n));
    const out = await runCliJson<RestoreJson>(['restore', ...everything, '--to', to, '--time', time, '--dry-run']);
    expect(out.dryRun).toBe(true);
    expect(out.target).toMatchObject({ kind: 'time', requestedTime: time });
    expect(out.headPosition).toBeGreaterThanOrEqual(800);
    expect(existsSync(to)).toBe(false);
    // --current names the store being replaced: what the target leaves out of it is reported.
    const lost = await runCliJson<RestoreJson & { leftOut: { available: boolean; events: number; fromPosition: number } }>(['restore', made.backups, '--to', to, '--position', '1000', '--dry-run', '--current', made.store]);
    expect(lost.leftOut).toMatchObject({ available: true, events: 500, fromPosition: 1001 });
    const text = await runCli(['restore', made.backups, '--to', to]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toBe(''); // progress only when stderr is a terminal
    expect(text.stdout).toMatch(/^restored: 1,500 events/);
    expect(text.stdout).toContain('RTO ');
    expect(rawEvents(to)).toHaveLength(1500);
  });

  it('exit 1 with the error code for a gap, a target past the archives and a damaged archive; nothing written', async () => {
    const copy = await backedUpWithCliCopy();
    const to = join(copy, 'restored');
    const beyond = await runCliError(['restore', join(copy, 'backups'), '--to', to, '--position', '9999'], 1);
    expect(beyond.code).toBe('INTEGRITY_VIOLATION');
    expect(beyond.message).toContain('1501–9999');
    const middle = made.archives[1]!.split('/').pop()!;
    rmSync(join(copy, 'backups', middle));
    const gap = await runCliError(['restore', join(copy, 'backups'), '--to', to], 1);
    expect(gap).toMatchObject({ code: 'INTEGRITY_VIOLATION', details: { reason: 'CHAIN_GAP', missingFrom: 501, missingTo: 1000 } });
    expect(gap.message).toContain('501–1000');
    const full = join(copy, 'backups', made.archives[0]!.split('/').pop()!);
    const bytes = readFileSync(full);
    bytes[bytes.length - 100]! ^= 0x55;
    writeFileSync(full, bytes);
    const damaged = await runCliError(['restore', full, '--to', to], 1);
    expect(['ARCHIVE_CORRUPT', 'INTEGRITY_VIOLATION']).toContain(damaged.code);
    expect(existsSync(to)).toBe(false);
    expect(readdirSync(copy).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('exit 2 for bad usage and input', async () => {
    const to = join(temp.dir(), 'x');
    for (const [args, code] of [
      [['restore', made.backups], 'INVALID_INPUT'],
      [['restore', made.backups, '--to', to, '--position', '5', '--time', '2026-01-01T00:00:00Z'], 'INVALID_INPUT'],
      [['restore', made.backups, '--to', to, '--position', 'ten'], 'INVALID_INPUT'],
      [['restore', made.backups, '--to', to, '--position', '0'], 'INVALID_INPUT'],
      [['restore', made.backups, '--to', to, '--time', 'yesterday'], 'INVALID_INPUT'],
      [['restore', made.backups, '--to', to, '--frobnicate'], 'INVALID_INPUT'],
      [['restore', join(made.root, 'no-such-archive.tar.gz'), '--to', to], 'NOT_FOUND'],
      [['restore', join(made.store, 'events.db'), '--to', to], 'INVALID_INPUT'],
      [['restore', made.backups, '--to', made.store], 'INVALID_INPUT'],
      [['restore', made.backups, '--to', to, '--passphrase-file', join(made.root, 'nope')], 'NOT_FOUND'],
      [['drill', made.store], 'INVALID_INPUT'],
      [['drill', join(made.root, 'no-store'), '--backups', made.backups], 'NOT_FOUND'],
    ] as const) {
      const error = await runCliError(args, 2);
      expect(error.code, args.join(' ')).toBe(code);
    }
    expect(existsSync(to)).toBe(false);
  });

  it('an encrypted chain: a wrong passphrase is exit 1 DECRYPTION_FAILED before anything is written, the right one restores', async () => {
    const root = temp.dir();
    const pass = join(root, 'pass');
    writeFileSync(pass, 'a long enough passphrase\n');
    const wrong = join(root, 'wrong');
    writeFileSync(wrong, 'not the passphrase\n');
    const store = join(root, 'store');
    createFilledStore(store, 200, { perAppend: 50 });
    const backups = join(root, 'backups');
    await runCliJson(['backup', 'create', store, '--out', backups, '--passphrase-file', pass]);
    const to = join(root, 'restored');
    const error = await runCliError(['restore', backups, '--to', to, '--passphrase-file', wrong], 1);
    expect(error.code).toBe('DECRYPTION_FAILED');
    expect(existsSync(to)).toBe(false);
    expect(readdirSync(root).sort()).toEqual(['backups', 'pass', 'store', 'wrong']);
    const out = await runCliJson<RestoreJson>(['restore', backups, '--to', to, '--passphrase-file', pass]);
    expect(out.headPosition).toBe(200);
  });
});

describe('pconsole drill', () => {
  it('--json is the restore shape plus rpoMs; the drill is recorded in the store’s history', async () => {
    const out = await runCliJson<RestoreJson & { rpoMs: number; drillId: number; recorded: boolean }>(['drill', made.store, '--backups', made.backups]);
    expect(Object.keys(out).slice(0, 8)).toEqual(['ok', 'target', 'headPosition', 'headHash', 'events', 'dryRun', 'steps', 'rtoMs']);
    expect(out).toMatchObject({ ok: true, dryRun: true, headPosition: 1500, events: 1500, recorded: true });
    expect(out.rpoMs).toBeGreaterThan(0);
    expect(out.rtoMs).toBeGreaterThan(0);
    const store = EventStore.open(made.store, { readonly: true });
    const history = listDrills(store.db);
    store.close();
    expect(history[0]).toMatchObject({ id: out.drillId, trigger: 'cli', outcome: 'succeeded', headPosition: 1500, rtoMs: out.rtoMs, rpoMs: out.rpoMs });
  });

  it('restores the newest complete chain when a later archive is beyond a gap, and says so', async () => {
    const copy = await backedUpWithCliCopy();
    rmSync(join(copy, 'backups', made.archives[1]!.split('/').pop()!));
    const out = await runCliJson<RestoreJson & { rpoMs: number }>(['drill', join(copy, 'store'), '--backups', join(copy, 'backups')]);
    expect(out.headPosition).toBe(500);
    expect(out.warnings.join('\n')).toContain('501–1000');
  });

  it('a failing drill is exit 1 and recorded as failed', async () => {
    const copy = await backedUpWithCliCopy();
    const full = join(copy, 'backups', made.archives[0]!.split('/').pop()!);
    writeFileSync(full, Buffer.from('not an archive at all'));
    writeFileSync(sidecarPathOf(full), readFileSync(sidecarPathOf(made.archives[0]!)));
    const error = await runCliError(['drill', join(copy, 'store'), '--backups', join(copy, 'backups')], 1);
    expect(error.code).toBe('ARCHIVE_CORRUPT');
    const store = EventStore.open(join(copy, 'store'), { readonly: true });
    expect(listDrills(store.db)[0]).toMatchObject({ outcome: 'failed', error: { code: 'ARCHIVE_CORRUPT' } });
    store.close();
  });
});

/** A copy of the shared store and archives that a test may damage. */
async function backedUpWithCliCopy(): Promise<string> {
  const { cpSync } = await import('node:fs');
  const root = temp.dir();
  cpSync(made.store, join(root, 'store'), { recursive: true });
  cpSync(made.backups, join(root, 'backups'), { recursive: true });
  return root;
}
