import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ConsoleError } from '../../shared/errors.js';
import { recoveryRequestSchema, type DataLossWindow, type LeftOut, type RecoveryMode, type RecoveryProgress, type RecoveryReport, type RecoveryTarget } from '../../shared/recovery.js';
import { fsyncDirectory } from '../platform/index.js';
import type { DecryptionKeyInput } from '../backup/index.js';
import { requireFreeSpace } from '../platform/index.js';
import { PhaseTimer } from '../platform/index.js';
import { translateSqliteError } from '../platform/index.js';
import { HEAD_RECORD_FILE } from '../store/index.js';
import { buildRestoredStore } from './buildStore.js';
import { leftOutOf, summarise, unavailable } from './compareStores.js';
import { openForInspection, type StoreIdentity } from './inspectStore.js';
import { planForStore } from './planRecovery.js';
import { acquireRestoreLock } from '../store/index.js';
import type { FileLock } from '../platform/index.js';
import { preRestoreName, restorePathsFor, type RestorePaths } from '../store/index.js';
import { completeInterruptedSwap, swapIn, type SwapHooks } from '../store/index.js';
import { validateLinks, validationError } from './validateLinks.js';

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
export function parseRecoveryRequest(input: unknown, keys?: DecryptionKeyInput): RecoveryRequest {
  const parsed = recoveryRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConsoleError('INVALID_INPUT', `${issue.path.join('.') || 'request'}: ${issue.message}`);
  }
  return { ...parsed.data, keys };
}

function isEmptyFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory() && readdirSync(path).length === 0;
  } catch {
    return false;
  }
}

/** DISK_FULL for the ways a full disk shows up; everything else unchanged. */
function diskFull(error: unknown, where: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new ConsoleError('DISK_FULL', `the disk holding ${where} is full; the restore was abandoned and its files removed`, { path: where });
  const translated = translateSqliteError(error, `restore into ${where}`);
  return translated;
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
 * One recovery run (issue 5 item 1), in the order that keeps the store safe: plan from the sidecars (a
 * target beyond a gap is refused here), verify every archive of the plan (a wrong key or a damaged archive
 * is refused here), build the restored store in a work folder and verify it, and only then publish it: a
 * dry run deletes it, `to-folder` renames it to the destination, `in-place` swaps it in through the crash-safe
 * journal (the caller must have closed the store). Nothing outside the work folder changes before that
 * last step, whatever fails; the work folder is removed on failure and after success.
 */
export async function runRecovery(request: RecoveryRequest, ctx: RecoveryContext = {}): Promise<RecoveryReport> {
  const clock = ctx.clock ?? Date.now;
  const runStart = clock();
  const t0 = performance.now();
  const timer = new PhaseTimer();
  const isCancelled = ctx.isCancelled ?? (() => false);
  const onProgress = (p: RecoveryProgress) => ctx.onProgress?.(p);
  const step = (name: string) => ctx.hooks?.atStep?.(name);
  const checkCancelled = () => {
    if (isCancelled()) throw new ConsoleError('CANCELLED', 'the restore was cancelled; the store was not changed');
  };
  const req = parseRecoveryRequest(
    { sources: request.sources.map((s) => resolve(s)), target: request.target, mode: request.mode, destination: request.destination && resolve(request.destination), storeDir: request.storeDir && resolve(request.storeDir), storeId: request.storeId, scratchDir: request.scratchDir && resolve(request.scratchDir), failedAt: request.failedAt },
    request.keys,
  );
  const mode = req.mode;

  // 1. Where the restored store goes, checked before anything else.
  let paths: RestorePaths | undefined;
  if (mode === 'to-folder') {
    const destination = req.destination!;
    if (existsSync(destination) && !isEmptyFolder(destination))
      throw new ConsoleError('INVALID_INPUT', `${destination} already exists and is not an empty folder: restore into a new or empty folder`, { destination });
    paths = restorePathsFor(destination);
  } else if (mode === 'in-place') {
    const storeDir = req.storeDir!;
    if (existsSync(storeDir) && !statSync(storeDir).isDirectory()) throw new ConsoleError('INVALID_INPUT', `${storeDir} is not a folder`, { storeDir });
    paths = restorePathsFor(storeDir);
    completeInterruptedSwap(storeDir); // a swap a crash cut short is finished or rolled back before anything else
  }

  // 2. The current store, when there is one and it can be read: its id picks the archives, its events after
  //    the target are what the restore leaves out.
  onProgress({ phase: 'planning', done: 0, total: null, unit: 'archives' });
  const { plan, current } = await planForStore(req);
  timer.next('plan');
  step('plan');
  checkCancelled();

  // 3. The work folder: beside the destination (same file system: the final rename is atomic), or scratch.
  let lock: FileLock | undefined;
  let work: string;
  let createdParent: string | undefined;
  if (paths === undefined) {
    const root = req.scratchDir ?? tmpdir();
    await mkdir(root, { recursive: true });
    work = await mkdtemp(join(root, 'pconsole-restore-'));
  } else {
    createdParent = await mkdir(paths.parent, { recursive: true });
    try {
      lock = acquireRestoreLock(paths.lock, `restore of store ${plan.storeId} into ${paths.target}`);
    } catch (error) {
      if (createdParent !== undefined) await removeEmptyParents(createdParent, paths.parent);
      throw error;
    }
    await rm(paths.work, { recursive: true, force: true }); // what a killed run left
    await mkdir(paths.work);
    work = paths.work;
  }
  const dir = join(work, 'store');
  let published = false;
  try {
    const needed = plan.links.reduce((n, l) => n + l.dataBytes * (l.kind === 'full' ? 1 : 2), 0) + 16 * 1024 * 1024;
    await requireFreeSpace(work, needed, 'the restore');

    // 4. Every archive of the plan verified before the restore uses it.
    const validated = await validateLinks(plan.links, 0, undefined, {
      keys: req.keys,
      scratchDir: work,
      keepMembers: true,
      record: mode !== 'dry-run',
      stopAtFirstFailure: true,
      onProgress,
      isCancelled,
    });
    const failed = validated.find((v) => !v.ok);
    if (failed !== undefined) throw validationError(failed);
    timer.next('validate');
    step('validate');
    checkCancelled();

    // 5. The restored store, built and verified in the work folder.
    const built = await buildRestoredStore({
      dir,
      work,
      plan,
      validated,
      keys: req.keys,
      record: mode !== 'dry-run',
      clock,
      timer,
      onProgress,
      isCancelled,
      step,
      carryOverFrom: mode === 'in-place' ? req.storeDir : undefined,
    });
    checkCancelled();

    // 6. Published: renamed to the destination, or swapped in; a dry run stops here.
    let previousStore: string | null = null;
    let finalDir = dir;
    if (paths !== undefined) {
      onProgress({ phase: 'publishing', done: 0, total: 1, unit: 'steps' });
      if (mode === 'to-folder') {
        await rename(dir, paths.target);
        await fsyncDirectory(paths.parent);
        finalDir = paths.target;
      } else {
        await headWritesSettled(paths.target);
        let attempt = 1;
        let previous = join(paths.parent, preRestoreName(paths.name, runStart, attempt));
        while (existsSync(previous)) previous = join(paths.parent, preRestoreName(paths.name, runStart, ++attempt));
        previousStore = swapIn(paths.target, dir, previous, ctx.hooks).previous;
        finalDir = paths.target;
      }
      published = true;
      timer.next(mode === 'in-place' ? 'swap' : 'publish');
      step('publish');
    }
    const rtoMs = Math.round(performance.now() - t0);

    // 7. The report: what the store holds, what the target left out of the current store.
    onProgress({ phase: 'summarising', done: 0, total: 1, unit: 'steps' });
    const summaryDb = openForInspection(finalDir);
    let summary: ReturnType<typeof summarise>;
    try {
      summary = summarise(summaryDb);
    } finally {
      summaryDb.close();
    }
    timer.next('summary');
    let leftOut: LeftOut;
    const compareDir = mode === 'in-place' ? (previousStore ?? undefined) : req.storeDir;
    if (current === undefined) leftOut = unavailable('no current store was named');
    else if (!current.readable) leftOut = unavailable(current.reason);
    else if (compareDir === undefined) leftOut = unavailable('the current store is gone');
    else {
      onProgress({ phase: 'comparing', done: 0, total: 1, unit: 'steps' });
      leftOut = leftOutOf(compareDir, { position: built.position, hash: built.hash });
      timer.next('compare');
    }
    const finishedAt = clock();
    const warnings = [...plan.warnings];
    if (leftOut.available && leftOut.historyDiverged)
      warnings.push(`the current store has another event at position ${built.position}: its history differs from the archives' before the target`);
    if (built.carriedOver !== null && built.carriedOver.notCarried !== null)
      warnings.push(`${built.carriedOver.notCarried}: the schedules, settings and audit log are those of the full archive`);
    return {
      ok: true,
      mode,
      dryRun: mode === 'dry-run',
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
      events: summary.events,
      streams: summary.streams,
      eventTypes: summary.eventTypes,
      steps: timer.steps(),
      rtoMs,
      startedAt: new Date(runStart).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      destination: finalDir,
      previousStore,
      archives: built.uses,
      cutBack: built.cutBack,
      verification: { ok: true, checkedEvents: built.checkedEvents, integrityCheck: 'ok' },
      leftOut,
      dataLoss: dataLossWindow(built.recordedAt, req.failedAt, current, runStart),
      carriedOver: built.carriedOver,
      warnings,
    };
  } catch (error) {
    throw diskFull(error, paths?.parent ?? work);
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
    lock?.release();
    if (!published && createdParent !== undefined) await removeEmptyParents(createdParent, paths!.parent);
  }
}

/** Removes the folders a failed run created for its destination's parent (only while they are empty). */
async function removeEmptyParents(top: string, deepest: string): Promise<void> {
  let dir = deepest;
  for (;;) {
    try {
      if ((await readdir(dir)).length > 0) return;
      await rmdir(dir);
    } catch {
      return;
    }
    if (dir === top) return;
    dir = dirname(dir);
  }
}

/**
 * Waits (up to 5 s) until no head.json write of the store being replaced is in flight: the engine writes it
 * asynchronously under a temporary name, by path, and one started just before the store was closed must not
 * land in the restored store after the swap.
 */
async function headWritesSettled(storeDir: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline) {
    let names: string[];
    try {
      names = readdirSync(storeDir);
    } catch {
      return;
    }
    if (!names.some((n) => n.startsWith(`${HEAD_RECORD_FILE}.`) && n.endsWith('.tmp'))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
