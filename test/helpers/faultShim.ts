import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectOutput, type CliResult } from './cli.js';
import { buildNative } from './faultNative.js';
import { CLI_PATH, REPO_ROOT } from './paths.js';

/**
 * The CLI run under test/fault/native/ioFaultShim.c (LD_PRELOAD): the Nth write or sync on a file under a
 * folder fails with EIO or ENOSPC. Without `at` nothing fails and the run says how many calls it made,
 * which is what a sweep over N needs.
 */
export type FaultErrno = 'EIO' | 'ENOSPC';

export interface Fault {
  /** Only files under this folder are counted (and failed). */
  readonly under: string;
  /** The counted call that fails; undefined: none (counting only). */
  readonly at?: number;
  readonly errno?: FaultErrno;
  /** Every counted call from `at` on fails: a disk that stays full or broken. */
  readonly sticky?: boolean;
}

/** What the shim counted in one run, written when the process exits. */
export interface ShimReport {
  readonly calls: number;
  readonly writes: number;
  readonly syncs: number;
  /** The first failed calls, each "<n> <function> <path>". */
  readonly failed: readonly string[];
  readonly failures: number;
}

export interface FaultedRun extends CliResult {
  /** Under the shim: what it counted; undefined without one, or when the process did not exit normally. */
  readonly report: ShimReport | undefined;
}

export interface RunOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** The built CLI, copied when the test starts, run with the shim or without. */
export interface FaultedCli {
  /** Runs `pconsole ...args`; with a fault, under the shim (armed when `fault.at` is set). */
  run(args: readonly string[], fault?: Fault, options?: RunOptions): Promise<FaultedRun>;
}

/**
 * Compiles the shim into `dir` and copies the built CLI there (dist/main and dist/shared, beside the
 * repository's package.json and a link to its node_modules): a sweep of hundreds of runs then tests one
 * build, even while dist/ is being rebuilt meanwhile.
 */
export function prepareFaultedCli(dir: string): FaultedCli {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build:main first`);
  const shim = buildNative('ioFaultShim.c', dir, { shared: true });
  const copy = join(dir, 'cli');
  mkdirSync(join(copy, 'dist'), { recursive: true });
  for (const part of ['main', 'shared']) cpSync(join(REPO_ROOT, 'dist', part), join(copy, 'dist', part), { recursive: true });
  cpSync(join(REPO_ROOT, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'));
  const cli = join(copy, 'dist', 'main', 'cli', 'index.js');
  return { run: (args, fault, options = {}) => runFaulted(cli, shim, args, fault, options) };
}

function shimEnv(shim: string, fault: Fault, reportFile: string): NodeJS.ProcessEnv {
  return {
    LD_PRELOAD: shim,
    FAULT_UNDER: fault.under,
    FAULT_COUNT: reportFile,
    FAULT_ERRNO: fault.errno ?? 'EIO',
    FAULT_STICKY: fault.sticky === true ? '1' : '0',
    // libuv would otherwise be free to submit file writes through io_uring, past the libc functions the shim wraps.
    UV_USE_IO_URING: '0',
    ...(fault.at === undefined ? {} : { FAULT_AT: String(fault.at) }),
  };
}

async function runFaulted(cli: string, shim: string, args: readonly string[], fault: Fault | undefined, options: RunOptions): Promise<FaultedRun> {
  const reportDir = mkdtempSync(join(tmpdir(), 'pconsole-shim-report-'));
  const reportFile = join(reportDir, 'report.json');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (name.startsWith('FAULT_')) delete env[name];
  if (fault !== undefined) Object.assign(env, shimEnv(shim, fault, reportFile));
  const child = spawn(process.execPath, [cli, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'], env });
  const result = collectOutput(child, options.timeoutMs);
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.input ?? '');
  try {
    return { ...(await result), report: readReport(reportFile) };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

function readReport(reportFile: string): ShimReport | undefined {
  try {
    return JSON.parse(readFileSync(reportFile, 'utf8')) as ShimReport;
  } catch {
    return undefined;
  }
}

/**
 * The points of a sweep over 1..calls: all of them when there are at most `budget`, otherwise `budget`
 * points spread evenly, the first and the last included.
 */
export function sweepPoints(calls: number, budget: number): number[] {
  if (calls <= budget) return Array.from({ length: calls }, (_, i) => i + 1);
  const points = new Set<number>();
  for (let i = 0; i < budget; i++) points.add(1 + Math.round((i * (calls - 1)) / (budget - 1)));
  return [...points].sort((a, b) => a - b);
}
