import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { CallMethod } from '../../shared/api/client.js';
import type { InputOf } from '../../shared/api/contract.js';
import { ConsoleError } from '../../shared/errors.js';
import type { JobProgress } from '../../shared/jobs.js';
import type { Principal } from '../../shared/security.js';
import type { StoreWarning } from '../../shared/store.js';
import type { FinalOf } from '../api/index.js';
import { ProgressLine } from './progress.js';

/**
 * The CLI's front door (DESIGN §3): every command is a call of the contract through the one pipeline, made
 * by the local OS user with the admin role on the `cli` transport: validated, role-checked, timed, and
 * audited like a call from the console.
 */
export function cliPrincipal(): Principal {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return { name, role: 'admin', transport: 'cli' };
}

export interface CommandConsoleOptions {
  /** The store the command names (for a command that creates one, where it will be). */
  readonly storePath: string;
  /** false: the command opens no store (it creates one, or works on archives only). */
  readonly openStore?: boolean;
  /** Open without a writer (read, export, stats). */
  readonly readonly?: boolean;
  /** Run on when the store cannot be opened (verify and drill work on a damaged store's folder). */
  readonly startWithoutStore?: boolean;
  /**
   * The command's own output lists the store's losses (verify's problems, the --json of stats and backup
   * create): no warning lines repeat them, and stderr stays for errors.
   */
  readonly reportsLosses?: boolean;
}

export interface CommandConsole {
  /** A call to its end: a job's progress is drawn on stderr (when it is a terminal) under `label`. */
  call<M extends CallMethod>(method: M, input: InputOf<M>, progressLabel?: string): Promise<FinalOf<M>>;
  /** Why the store could not be opened, when the command runs on without it. */
  readonly storeProblem: { readonly code: string; readonly message: string } | undefined;
  /** What the command must say so far although it did not fail for it (a loss not acknowledged yet), for its --json output. */
  warnings(): StoreWarning[];
}

/**
 * Opens a host for one command (nothing runs in the background), runs `fn` with calls through the pipeline,
 * and closes it; audit entries of a store the command created go into it then. The host, the pipeline and
 * the handlers load only here, and a handler's domain only when it is called. Once closed, what the store
 * warned of is printed on stderr, one `warning <CODE>: …` line each, whatever the command's outcome: a loss
 * not acknowledged yet (every command that opens the store says so), a head record that could not be written.
 */
export async function withConsole<T>(options: CommandConsoleOptions, fn: (console: CommandConsole) => Promise<T>): Promise<T> {
  const [{ ConsoleHost }, { ApiPipeline }] = await Promise.all([import('../host/index.js'), import('../api/index.js')]);
  const host = new ConsoleHost({
    storePath: resolve(options.storePath),
    transport: 'cli',
    mode: 'command',
    openStore: options.openStore,
    readonly: options.readonly,
    startWithoutStore: options.startWithoutStore,
    stdin: process.stdin,
  });
  const pipeline = new ApiPipeline(host);
  const principal = cliPrincipal();
  let failure: unknown;
  try {
    return await fn({
      storeProblem: host.storeProblem,
      warnings: () => host.warnings(),
      async call(method, input, progressLabel) {
        const line = progressLabel === undefined ? undefined : new ProgressLine(progressLabel);
        try {
          const result = await pipeline.run(principal, method, input, line === undefined ? undefined : (p) => drawJobProgress(line, p));
          if (!result.ok) throw new ConsoleError(result.error.code, result.error.message, result.error.details);
          return result.value;
        } finally {
          line?.done();
        }
      },
    });
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    await host.close();
    printWarnings(host.warnings(), options.reportsLosses === true || isRefusalForLoss(failure));
  }
}

/** A write refused for a loss: its error (INTEGRITY_VIOLATION) names the loss already. */
function isRefusalForLoss(failure: unknown): boolean {
  return failure instanceof ConsoleError && failure.code === 'INTEGRITY_VIOLATION';
}

/** The warning lines on stderr; the losses left out when the command's own answer names them. */
function printWarnings(warnings: readonly StoreWarning[], lossesSaid: boolean): void {
  for (const w of warnings) if (!lossesSaid || w.code === 'HEAD_RECORD_NOT_WRITTEN') process.stderr.write(`warning ${w.code}: ${w.message}\n`);
}

/** A job's progress on the CLI's progress line: bytes are shown in MiB, other units as counted. */
export function drawJobProgress(line: ProgressLine, p: JobProgress): void {
  const mib = p.unit === 'bytes';
  line.update(p.done, p.total, mib ? Math.round(p.done / 1048576) : p.done, mib ? 'MiB' : p.unit, p.phase);
}

/** A path from the command line, absolute (the API takes only absolute paths). */
export function absolute(path: string): string {
  return resolve(path);
}
