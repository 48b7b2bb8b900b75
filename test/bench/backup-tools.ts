import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../main/platform/packageInfo.js';
import { median, type BenchContext } from './harness.js';

/** Shared pieces of the backup benchmarks: running commands timed, peak RSS, sizes, alternating runs. */
export const CLI = join(PACKAGE_ROOT, 'dist', 'main', 'cli', 'index.js');
const TIME = '/usr/bin/time';

export interface Timed {
  readonly seconds: number;
  readonly maxRssMb: number;
  readonly stdout: string;
}

/** Runs `command args` (a shell line when `shell`), measuring wall time and, with GNU time, peak RSS. */
export function timedRun(command: string, args: readonly string[], options: { cwd?: string; shell?: boolean } = {}): Promise<Timed> {
  const rssFile = join(PACKAGE_ROOT, '.tmp', `rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const useTime = existsSync(TIME);
  // GNU time cannot create the folder of its -o file: a benchmark run alone must not depend on another having made it.
  if (useTime) mkdirSync(dirname(rssFile), { recursive: true });
  const argv = options.shell === true ? ['sh', '-c', command] : [command, ...args];
  const started = performance.now();
  const child = spawn(useTime ? TIME : argv[0]!, useTime ? ['-f', '%M', '-o', rssFile, ...argv] : argv.slice(1), { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) {
        reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`));
        return;
      }
      let maxRssMb = NaN;
      if (useTime) {
        maxRssMb = Number(/(\d+)\s*$/.exec(readFileSync(rssFile, 'utf8'))?.[1] ?? NaN) / 1024;
        rmSync(rssFile, { force: true });
      }
      resolve({ seconds, maxRssMb, stdout });
    });
  });
}

export function pconsole(args: readonly string[]): Promise<Timed> {
  return timedRun(process.execPath, [CLI, ...args]);
}

/** The benchmarks run the built CLI: rebuild when a source is newer than dist/. */
export function ensureBuilt(ctx: BenchContext): void {
  const newest = (dir: string) =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .reduce((n, e) => Math.max(n, statSync(join(e.parentPath, e.name)).mtimeMs), 0);
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  if (built >= Math.max(newest(join(PACKAGE_ROOT, 'main')), newest(join(PACKAGE_ROOT, 'shared')))) return;
  ctx.log('dist/ is older than the sources: npm run build:main');
  if (spawnSync('npm', ['run', 'build:main'], { cwd: PACKAGE_ROOT, stdio: 'inherit' }).status !== 0) throw new Error('npm run build:main failed');
}

export function bytesOf(path: string): number {
  return statSync(path).size;
}

/** Bytes of a store's log: events.db plus what is still in its WAL. */
export function storeBytes(dir: string): number {
  const wal = join(dir, 'events.db-wal');
  return bytesOf(join(dir, 'events.db')) + (existsSync(wal) ? bytesOf(wal) : 0);
}

/**
 * Runs two contenders alternately (A B A B …) so both see the same machine (load, page cache), and
 * returns the median seconds of each. `after` cleans up between runs.
 */
export async function alternate(rounds: number, a: () => Promise<number>, b: () => Promise<number>, after: () => void): Promise<{ a: number; b: number; aRuns: number[]; bRuns: number[] }> {
  const aRuns: number[] = [];
  const bRuns: number[] = [];
  for (let i = 0; i < rounds; i++) {
    aRuns.push(await a());
    after();
    bRuns.push(await b());
    after();
  }
  return { a: median(aRuns), b: median(bRuns), aRuns, bRuns };
}

export function mbps(bytes: number, seconds: number): number {
  return bytes / 1e6 / seconds;
}

/** An X25519 key pair made with the real age-keygen, written to `dir/key.txt`. */
export function ageKeygen(dir: string): { identityFile: string; recipient: string } {
  const identityFile = join(dir, 'key.txt');
  rmSync(identityFile, { force: true });
  const r = spawnSync('age-keygen', ['-o', identityFile], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`age-keygen failed: ${r.stderr}`);
  const recipient = /age1[0-9a-z]+/.exec(r.stderr)?.[0];
  if (recipient === undefined) throw new Error('age-keygen printed no recipient');
  return { identityFile, recipient };
}
