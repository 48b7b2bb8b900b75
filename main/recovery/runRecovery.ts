import { resolve } from 'node:path';
import { ConsoleError } from '../../shared/errors.js';
import { recoveryRequestSchema, type DataLossWindow, type RecoveryMode, type RecoveryProgress, type RecoveryReport, type RecoveryTarget } from '../../shared/recovery.js';
import { parseTrustedKey, type DecryptionKeyInput, type TrustedKeyInput } from '../backup/index.js';
import { runSteps, type Step, translateSqliteError } from '../platform/index.js';
import type { SwapHooks } from '../store/index.js';
import { RESTORE_CANCELLED } from './buildStore.js';
import type { StoreIdentity } from './inspectStore.js';
import { besideTarget, build, checkDestination, checkStore, compare, plan, publishToFolder, RecoveryRun, scratchFolder, summary, swapInPlace, validate } from './recoverySteps.js';

/** A recovery run: the plain request (DESIGN §6 / the API) plus the keys, which stay in memory. */
export interface RecoveryRequest {
  readonly sources: readonly string[];
  readonly target: RecoveryTarget;
  readonly mode: RecoveryMode;
  readonly destination?: string;
  readonly storeDir?: string;
  readonly storeId?: string;
  readonly scratchDir?: string;
  readonly failedAt?: string;
  readonly keys?: DecryptionKeyInput;
  /** Every archive must be signed by this key (DESIGN §7); travels beside the keys, outside the plain request. */
  readonly trustedKey?: TrustedKeyInput;
}

/** Stops the process at chosen points (fault tests): `atStep` after each named step, and the swap's own points. */
export interface RecoveryHooks extends SwapHooks {
  readonly atStep?: (step: string) => void;
}

export interface RecoveryContext {
  readonly onProgress?: (progress: RecoveryProgress) => void;
  readonly isCancelled?: () => boolean;
  /** The time written into reports and meta (tests inject it). */
  readonly clock?: () => number;
  readonly hooks?: RecoveryHooks;
}

/** Checks a request from outside (API, worker input) against the schema: INVALID_INPUT naming the field. */
export function parseRecoveryRequest(input: unknown, keys?: DecryptionKeyInput, trustedKey?: TrustedKeyInput): RecoveryRequest {
  const parsed = recoveryRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConsoleError('INVALID_INPUT', `${issue.path.join('.') || 'request'}: ${issue.message}`);
  }
  return { ...parsed.data, keys, trustedKey };
}

/**
 * Each mode as its list of steps (recoverySteps.ts), in the order that keeps the store safe: plan, verify
 * every archive, build and verify the restored store in a work folder, and only then publish it. Nothing
 * outside the work folder changes before that last step, whatever fails; the work folder is removed on
 * failure and after success. Reported: 'plan', 'validate', the build's 'prepare' … 'finish', then 'publish'
 * (to-folder) or 'swap' (in-place), 'summary', and 'compare' when there was a current store to compare with.
 */
const MODES: Readonly<Record<RecoveryMode, readonly Step<RecoveryRun>[]>> = {
  /** The restored store is built in the scratch space and deleted: what it would hold, and what it leaves out. */
  'dry-run': [plan, scratchFolder, validate, build, summary, compare],
  /** Renamed to a new or empty destination folder. */
  'to-folder': [checkDestination, plan, ...besideTarget, validate, build, publishToFolder, summary, compare],
  /** Swapped in through the crash-safe journal (the caller must have closed the store); the store as it was is kept. */
  'in-place': [checkStore, plan, ...besideTarget, validate, build, swapInPlace, summary, compare],
};

/** The hook points fault tests stop at, by reported step: in-place's 'swap' is its 'publish'; none once the store is summarised. */
const STOP_POINTS: Readonly<Record<string, string>> = { plan: 'plan', validate: 'validate', publish: 'publish', swap: 'publish' };

/** DISK_FULL for the ways a full disk shows up; everything else unchanged. */
function diskFull(error: unknown, where: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new ConsoleError('DISK_FULL', `the disk holding ${where} is full; the restore was abandoned and its files removed`, { path: where });
  return translateSqliteError(error, `restore into ${where}`);
}

function dataLossWindow(restoredAt: number | null, failedAt: string | undefined, current: StoreIdentity | undefined, runStart: number): DataLossWindow {
  let reference: DataLossWindow['reference'] = 'run-start';
  let referenceAt = runStart;
  if (failedAt !== undefined) {
    reference = 'failure';
    referenceAt = Date.parse(failedAt);
  } else if (current?.readable === true && current.head.recordedAt !== null) {
    reference = 'current-store';
    referenceAt = current.head.recordedAt;
  }
  return {
    newestRestoredAt: restoredAt === null ? null : new Date(restoredAt).toISOString(),
    referenceAt: new Date(referenceAt).toISOString(),
    reference,
    windowMs: Math.max(0, referenceAt - (restoredAt ?? 0)),
  };
}

/**
 * One recovery run (issue 5 item 1): the request checked, then its mode's steps (MODES above). A target
 * beyond a gap is refused while planning, a wrong key or a damaged archive while validating, before
 * anything is written.
 */
export async function runRecovery(request: RecoveryRequest, ctx: RecoveryContext = {}): Promise<RecoveryReport> {
  const resolved = (path: string | undefined) => path && resolve(path);
  const req = parseRecoveryRequest(
    { sources: request.sources.map((p) => resolve(p)), target: request.target, mode: request.mode, destination: resolved(request.destination), storeDir: resolved(request.storeDir), storeId: request.storeId, scratchDir: resolved(request.scratchDir), failedAt: request.failedAt },
    request.keys,
    request.trustedKey,
  );
  // A trusted key that is not one is bad input, said before anything is read.
  const trustedKeyId = req.trustedKey === undefined ? null : parseTrustedKey(req.trustedKey.publicKeyPem).keyId;
  const s = new RecoveryRun(req, ctx);
  let steps: RecoveryReport['steps'];
  try {
    ({ steps } = await runSteps(MODES[req.mode], s, {
      timer: s.timer,
      isCancelled: s.isCancelled,
      cancelledMessage: RESTORE_CANCELLED,
      onStepDone: (name) => {
        const point = STOP_POINTS[name];
        if (point !== undefined) ctx.hooks?.atStep?.(point);
      },
    }));
  } catch (error) {
    // Once there is a work folder, a full disk is reported as the destination's (or the scratch space's).
    throw s.work === undefined ? error : diskFull(error, s.paths?.parent ?? s.work);
  }
  return report(s, steps, trustedKeyId);
}

/** The report: what the store holds, what the target left out of the current store. */
function report(s: RecoveryRun, steps: RecoveryReport['steps'], trustedKeyId: string | null): RecoveryReport {
  const { req, plan, built, leftOut } = s;
  const warnings = [...plan.warnings];
  if (leftOut.available && leftOut.historyDiverged)
    warnings.push(`the current store has another event at position ${built.position}: its history differs from the archives' before the target`);
  if (built.carriedOver !== null && built.carriedOver.notCarried !== null)
    warnings.push(`${built.carriedOver.notCarried}: the schedules, settings and audit log are those of the full archive`);
  return {
    ok: true,
    mode: req.mode,
    dryRun: req.mode === 'dry-run',
    storeId: plan.storeId,
    target: {
      kind: req.target.kind,
      requestedPosition: req.target.kind === 'position' ? req.target.position : null,
      requestedTime: req.target.kind === 'time' ? new Date(Date.parse(req.target.at)).toISOString() : null,
      position: built.position,
      note: built.timeNote,
    },
    headPosition: built.position,
    headHash: built.hash,
    headRecordedAt: built.recordedAt === null ? null : new Date(built.recordedAt).toISOString(),
    events: s.summary.events,
    streams: s.summary.streams,
    eventTypes: s.summary.eventTypes,
    steps,
    rtoMs: s.rtoMs,
    startedAt: new Date(s.runStart).toISOString(),
    finishedAt: new Date(s.finishedAt).toISOString(),
    destination: s.finalDir ?? s.dir,
    previousStore: s.previousStore,
    archives: built.uses,
    cutBack: built.cutBack,
    verification: { ok: true, checkedEvents: built.checkedEvents, integrityCheck: 'ok' },
    leftOut,
    dataLoss: dataLossWindow(built.recordedAt, req.failedAt, s.current, s.runStart),
    carriedOver: built.carriedOver,
    trustedKeyId,
    warnings,
  };
}
