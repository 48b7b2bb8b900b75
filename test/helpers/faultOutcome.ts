import { readdirSync } from 'node:fs';
import { expect } from 'vitest';
import type { ErrorCode } from '../../shared/errors.js';
import { verifyStore } from './checkStore.js';
import type { CliResult } from './cli.js';
import { sweepPoints, type Fault, type FaultedRun } from './faultShim.js';
import { rawEvents } from './rawDb.js';

/**
 * The rules every run under an I/O fault is held to (test/fault/ioErrors.test.ts), the sweep over N, and
 * the findings that break no rule but are reported.
 */

/** Odd N fail once with EIO, even N once with ENOSPC, every fifth stays failing with ENOSPC (a full disk). */
export function faultAt(n: number, under: string): Fault {
  if (n % 5 === 0) return { under, at: n, errno: 'ENOSPC', sticky: true };
  return { under, at: n, errno: n % 2 === 1 ? 'EIO' : 'ENOSPC' };
}

export function describeFault(f: Fault): string {
  return `N=${f.at} ${f.errno}${f.sticky === true ? ' (sticky)' : ''}`;
}

/**
 * The codes an honest answer may have. ENOSPC is DISK_FULL, except where SQLite cannot tell: a failed sync
 * and a failed write of its shared memory come back as SQLITE_IOERR_* without the errno, so IO_ERROR.
 */
function allowedCodes(run: FaultedRun, fault: Fault): ErrorCode[] {
  if (fault.errno === 'EIO') return ['IO_ERROR'];
  const [, fn = '', path = ''] = (run.report?.failed[0] ?? '').split(' ');
  if (fault.sticky === true || fn === 'fsync' || fn === 'fdatasync' || path.endsWith('-shm')) return ['DISK_FULL', 'IO_ERROR'];
  return ['DISK_FULL'];
}

export interface ErrorLine {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: Record<string, unknown>;
}
export type Outcome = { readonly ok: true; readonly json: Record<string, unknown> } | { readonly ok: false; readonly error: ErrorLine };

/**
 * What the sweeps found that breaks no rule of this test but is not right either, printed at the end (and
 * reported): warnings without a stable code, a second stderr line beside `--json`'s one error document.
 */
const findings = new Map<string, string>();

/** Prints the findings of the file's sweeps (call in afterAll). */
export function printFindings(): void {
  if (findings.size > 0) console.log(`I/O-error findings:\n${[...findings].map(([k, v]) => `- ${k} (e.g. ${v})`).join('\n')}`);
}

export function note(finding: string, example: string): void {
  if (!findings.has(finding)) findings.set(finding, example);
}

/** A line on stderr that is not the outcome: a warning with its code, or the host's audit-log warning (no code). */
function expectWarning(line: string, said: string, what: string): void {
  if (/^warning [A-Z_]+: /.test(line)) return;
  if (/^(audit log write failed for \S+|the audit log of .* could not be written): /.test(line)) {
    note(`the audit log's failure is printed without a stable code: "${line.replace(/\/tmp\/\S+/g, '<dir>').replace(/: [^:]*$/, '')}: …"`, `${what}: ${line}`);
    return;
  }
  expect.fail(`${said}: a line on stderr that is neither a warning nor the error`);
}

/** The run ended in the CLI's own format with an honest code; returns its result or its error. */
export function expectStableOutcome(run: FaultedRun, fault: Fault, what: string): Outcome {
  const said = `${what}: exit ${run.code}${run.signal === null ? '' : ` (${run.signal})`}, failed call ${run.report?.failed.join(', ') ?? 'unknown'}\nstdout: ${run.stdout.slice(0, 600)}\nstderr: ${run.stderr.slice(0, 1200)}`;
  expect(run.signal, said).toBeNull();
  expect(run.report, `${said}: the process did not exit normally`).toBeDefined();
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  if (run.code === 0) {
    for (const line of lines) expectWarning(line, said, what);
    return { ok: true, json: JSON.parse(run.stdout) as Record<string, unknown> };
  }
  expect(run.code, said).toBe(1);
  expect(run.report!.failures, `${said}: failed without a fault`).toBeGreaterThan(0);
  expect(run.stdout, said).toBe('');
  expect(lines.length, `${said}: no error line`).toBeGreaterThan(0);
  const error = (JSON.parse(lines.at(-1)!) as { error: ErrorLine }).error;
  for (const line of lines.slice(0, -1)) {
    expectWarning(line, said, what);
    note('with --json, a failed command printed a warning line before its one error document', `${what}: ${line.slice(0, 80)}`);
  }
  expect(allowedCodes(run, fault), said).toContain(error.code);
  return { ok: false, error };
}

/** Temporary files a failed write must not leave behind (head-record temp files, import spools). */
export function expectNoTempFiles(dir: string, what: string): void {
  expect(readdirSync(dir).filter((n) => n.endsWith('.tmp')), `${what}: temporary files left in ${dir}`).toEqual([]);
}

export function expectVerified(storeDir: string, what: string): void {
  const report = verifyStore(storeDir);
  expect(report.problems, `${what}: verify`).toEqual([]);
  expect(report.ok, `${what}: verify`).toBe(true);
}

export function expectSucceeded(run: CliResult, what: string): Record<string, unknown> {
  expect(run.code, `${what} without the fault: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

export function eventIds(storeDir: string): string[] {
  return rawEvents(storeDir).map((r) => r.event_id);
}

/** One sweep: counts the calls without a fault, then runs `point` for each N; every N's failures are kept. */
export async function sweep(name: string, budget: number, count: () => Promise<FaultedRun>, point: (n: number) => Promise<string>): Promise<void> {
  const counted = await count();
  expect(counted.code, `${name} without a fault: ${counted.stderr}`).toBe(0);
  const calls = counted.report?.calls ?? 0;
  expect(calls, `${name}: the shim counted no call`).toBeGreaterThan(0);
  const tally = new Map<string, number>();
  const failures: string[] = [];
  const points = sweepPoints(calls, budget);
  for (const n of points) {
    try {
      const outcome = await point(n);
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
    } catch (error) {
      // Every N is run: the failures of all of them are listed together.
      failures.push((error as Error).message);
      tally.set('FAILED', (tally.get('FAILED') ?? 0) + 1);
    }
  }
  const summary = [...tally].map(([k, v]) => `${v}× ${k}`).join(', ');
  console.log(`${name}: ${calls} calls without a fault, ${points.length} points swept: ${summary}`);
  expect(failures, `${name}: ${failures.length} of ${points.length} points failed`).toEqual([]);
}

export function outcomeName(outcome: Outcome): string {
  return outcome.ok ? 'ok' : outcome.error.code;
}
