import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsoleError } from '../../shared/errors.js';
import type { ArchiveUse, CarriedOver, PlannedLink, RecoveryPlan, RecoveryProgress } from '../../shared/recovery.js';
import type { BackupManifest } from '../../shared/backup.js';
import type { DecryptionKeyInput, TrustedKeyInput } from '../backup/index.js';
import { extractArchive } from '../backup/index.js';
import { fsyncFolderFiles, openWritable, type PhaseTimer, runSteps, type Step, TOOL_VERSION } from '../platform/index.js';
import { EVENTS_DB, EventReader, EventStore, type LogHead, recordIntegrityCheck, verifyLog, type VerifyReport, writeHeadRecordSync } from '../store/index.js';
import { applyIncrement } from './applyIncrement.js';
import { carryOverAdminState, settleSnapshotRuns } from './carryOverAdminState.js';
import { gapError } from './chooseChain.js';
import { cutBack, firstEventAfter } from './cutBack.js';
import { disagreementMessage } from './sources.js';
import { membersDirOf, validateLinks, validationError, type ValidatedLink } from './validateLinks.js';

/** What the plan took a link for (from its sidecar), as a manifest, to say how the archive's own differs. */
function sidecarFacts(link: PlannedLink, storeId: string, inside: BackupManifest): BackupManifest {
  return { ...inside, storeId, kind: link.kind, fromPosition: link.fromPosition, toPosition: link.toPosition, fromHash: link.fromHash, toHash: link.toHash, createdAt: link.createdAt, encryption: link.encryption };
}

export interface BuildInput {
  /** The folder to build the store in (must not exist). */
  readonly dir: string;
  /** The run's scratch space (kept members live under it). */
  readonly work: string;
  readonly plan: RecoveryPlan;
  /** The plan's links, validated, in order. */
  readonly validated: readonly ValidatedLink[];
  readonly keys?: DecryptionKeyInput;
  /** Continuation links validated on the way must be signed by this key too. */
  readonly trustedKey?: TrustedKeyInput;
  /** Write verification records for continuation links validated on the way. */
  readonly record: boolean;
  readonly clock: () => number;
  readonly timer: PhaseTimer;
  readonly onProgress: (p: RecoveryProgress) => void;
  readonly isCancelled: () => boolean;
  readonly step: (name: string) => void;
  /** in-place: the store being replaced, whose administrative state (schedules, settings, audit) the restored store keeps. */
  readonly carryOverFrom?: string;
}

export interface BuiltStore {
  readonly position: number;
  readonly hash: string;
  readonly recordedAt: number | null;
  readonly uses: readonly ArchiveUse[];
  readonly cutBack: { readonly from: number; readonly to: number } | null;
  readonly checkedEvents: number;
  /** For a time target: how it was resolved. */
  readonly timeNote: string | null;
  /** in-place: what was carried over from the store being replaced. */
  readonly carriedOver: CarriedOver | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A validated link's data member: kept by its verification, or extracted now (checksums checked). */
async function memberOf(v: ValidatedLink, index: number, work: string, keys: DecryptionKeyInput | undefined, isCancelled: () => boolean): Promise<string> {
  const name = v.link.kind === 'full' ? 'events.db' : 'events.ndjson';
  const dir = v.membersDir ?? membersDirOf(work, index);
  if (v.membersDir === null) await extractArchive(v.link.archive, dir, { keys, only: [name], isCancelled });
  return join(dir, name);
}

/** What a cancelled restore tells the user: nothing outside the work folder changes before the last step. */
export const RESTORE_CANCELLED = 'the restore was cancelled; the store was not changed';

/** One build as its steps fill it in; each field is set by the step named beside it. */
class BuildRun {
  readonly atMs: number | undefined;
  /** The position the restore stops at: the plan's, or where a time target was found to stop (cut-back, apply). */
  position: number | undefined;
  /** A time target: the first archived event recorded after the time, once found (cut-back, apply). */
  firstAfter: { position: number; recordedAt: number } | null = null;
  readonly uses: ArchiveUse[] = [];
  cut: BuiltStore['cutBack'] = null; // cut-back
  store?: EventStore; // open
  applied = 0; // apply
  head!: LogHead; // verify
  report!: VerifyReport;
  carriedOver: CarriedOver | null = null;
  result!: BuiltStore; // finish
  private readonly validations: Map<string, ValidatedLink>;

  constructor(readonly input: BuildInput) {
    const target = input.plan.target;
    this.atMs = target.kind === 'time' ? Date.parse(target.at) : undefined;
    this.position = input.plan.position ?? undefined;
    this.validations = new Map(input.validated.map((v) => [v.archive, v]));
  }

  validatedOnTheWay(v: ValidatedLink): void {
    this.validations.set(v.archive, v);
  }

  use(link: PlannedLink, usedTo: number): void {
    const v = this.validations.get(link.archive);
    this.uses.push({
      archive: link.archive,
      kind: link.kind,
      fromPosition: link.fromPosition,
      toPosition: link.toPosition,
      usedTo,
      verifyMs: v?.durationMs ?? 0,
      signature: v?.signature ?? 'unsigned',
    });
  }

  /** A time target given as written, for messages. */
  get at(): string {
    const target = this.input.plan.target;
    return target.kind === 'time' ? target.at : '';
  }
}

/** Reported as 'prepare', 'cut-back' (when the full archive reaches past the target), 'apply' (when incrementals were applied), 'verify', 'finish'. */
const BUILD_STEPS: readonly Step<BuildRun>[] = [
  {
    // The full archive's events.db, moved into the new store's folder.
    name: 'prepare',
    run: async (s) => {
      const { dir, work, validated, keys, onProgress, isCancelled } = s.input;
      onProgress({ phase: 'preparing', done: 0, total: 1, unit: 'steps' });
      await mkdir(dir);
      await rename(await memberOf(validated[0]!, 0, work, keys, isCancelled), join(dir, EVENTS_DB));
    },
  },
  { name: 'cut-back', reported: (s) => s.cut !== null, run: cutToTarget },
  {
    // The incrementals go through the engine: migrations run when the store opens (an older archive is brought up to date).
    name: 'open',
    reported: false,
    run: (s) => {
      s.store = EventStore.open(s.input.dir, { clock: s.input.clock });
      s.store.writerDb().pragma('synchronous = OFF');
    },
    cleanup: (s) => s.store?.close(),
    cleanupWhen: 'always',
  },
  { name: 'apply', reported: (s) => s.applied > 0, run: applyIncrementals },
  { name: 'verify', run: verifyRestoredLog },
  {
    // head.json for the restored head (the store as it was may have recorded a later one), everything fsynced.
    name: 'finish',
    run: async (s) => {
      const store = s.store!;
      const { plan, dir, onProgress } = s.input;
      const head = s.head;
      let timeNote: string | null = null;
      if (plan.target.kind === 'time') {
        const last = head.position === 0 ? undefined : store.reader.eventAt(head.position);
        timeNote =
          `the last event recorded at or before ${s.at} is at position ${head.position}` +
          (last === undefined ? '' : ` (recorded ${iso(last.recordedAt)})`) +
          (s.firstAfter === null
            ? '; no archived event was recorded after that time'
            : `; the next event, at position ${s.firstAfter.position}, was recorded ${iso(s.firstAfter.recordedAt)}`);
      }
      s.result = { position: head.position, hash: head.hash, recordedAt: head.recordedAt, uses: s.uses, cutBack: s.cut, checkedEvents: s.report.checkedEvents, timeNote, carriedOver: s.carriedOver };
      store.close();
      await store.headRecordSettled(); // a head write begun during the apply must not land after the one below
      onProgress({ phase: 'finishing', done: 0, total: 1, unit: 'steps' });
      writeHeadRecordSync(dir, head.position, head.hash);
      await fsyncFolderFiles(dir);
    },
  },
];

/**
 * Builds the restored store (issue 5 item 1, dry run and execute alike), as the steps above: the full
 * archive's verified events.db, cut back when it reaches past the target; the incrementals applied through
 * the engine with every position and hash checked; then the whole log verified (integrity_check, hash
 * chain, streams), the result recorded as an integrity check, meta and head.json written as a fresh store of
 * this id would have them, a fresh views.db (the console's views catch up when the store is opened),
 * everything fsynced. The steps report to the caller's timer and `step`.
 */
export async function buildRestoredStore(input: BuildInput): Promise<BuiltStore> {
  const s = new BuildRun(input);
  await runSteps(BUILD_STEPS, s, { timer: input.timer, onStepDone: input.step, isCancelled: input.isCancelled, cancelledMessage: RESTORE_CANCELLED });
  return s.result;
}

/** Where a time target stops inside the full archive; the archive cut back when the target is before its end. */
function cutToTarget(s: BuildRun): void {
  const { dir, plan, validated, onProgress } = s.input;
  const raw = openWritable(join(dir, EVENTS_DB), { durability: 'normal' });
  try {
    raw.pragma('synchronous = OFF'); // the folder is fsynced as a whole at the end, before it is published
    if (s.atMs !== undefined) {
      s.firstAfter = firstEventAfter(raw, s.atMs) ?? null;
      if (s.firstAfter !== null) s.position = s.firstAfter.position - 1;
    }
    const fullHead = new EventReader(raw).readHead();
    const position = s.position;
    if (position !== undefined && position < fullHead.position) {
      if (position === 0)
        throw new ConsoleError('NOT_FOUND', `no event was recorded at or before ${plan.target.kind === 'time' ? plan.target.at : 'the target'}: the first event was recorded at ${iso(s.firstAfter!.recordedAt)}`);
      onProgress({ phase: 'cutting', done: 0, total: fullHead.position - position, unit: 'events' });
      cutBack(raw, position);
      s.cut = { from: fullHead.position, to: position };
      onProgress({ phase: 'cutting', done: fullHead.position - position, total: fullHead.position - position, unit: 'events' });
    }
    s.use(validated[0]!.link, Math.min(position ?? fullHead.position, fullHead.position));
  } finally {
    raw.close();
  }
}

/**
 * The plan's incrementals, then (a time target with no event after it in the planned archives: the chain
 * goes on, imported events can carry older times) its continuation, each validated on the way.
 */
async function applyIncrementals(s: BuildRun): Promise<void> {
  const { plan, validated, work, keys, onProgress, isCancelled } = s.input;
  const store = s.store!;
  let done = s.firstAfter !== null || (s.position !== undefined && store.head().position >= s.position);
  const plannedTotal = (s.position ?? plan.links[plan.links.length - 1]!.toPosition) - store.head().position;
  const applyLink = async (v: ValidatedLink, index: number) => {
    const ndjson = await memberOf(v, index, work, keys, isCancelled);
    const result = await applyIncrement(store, ndjson, { position: s.position, afterMs: s.atMs }, {
      archive: v.link.archive,
      doneBefore: s.applied,
      total: plannedTotal > 0 ? plannedTotal : null,
      onProgress,
      isCancelled,
    });
    s.applied += result.applied;
    await rm(ndjson, { force: true }); // room for the next one
    s.use(v.link, result.applied === 0 ? v.link.fromPosition : result.lastPosition);
    if (result.firstAfter !== null) {
      s.firstAfter = result.firstAfter;
      s.position = result.firstAfter.position - 1;
      done = true;
    } else if (result.reachedPosition || (s.position !== undefined && result.lastPosition >= s.position)) done = true;
  };
  for (let i = 1; i < validated.length && !done; i++) await applyLink(validated[i]!, i);
  let previous = plan.links[plan.links.length - 1]!;
  for (let i = 0; i < plan.continuation.length && !done; i++) {
    const link = plan.continuation[i]!;
    const index = plan.links.length + i;
    const [v] = await validateLinks(
      [link],
      index,
      previous,
      { keys, trustedKey: s.input.trustedKey, scratchDir: work, keepMembers: true, record: s.input.record, stopAtFirstFailure: true, onProgress, isCancelled },
      plan.storeId,
    );
    // A continuation link whose sidecar the plan trusted wrongly: only its own manifest counts, and it must still continue the chain.
    if (v!.inside !== null && (v!.inside.fromPosition !== previous.toPosition || v!.inside.fromHash !== previous.toHash))
      throw new ConsoleError('INTEGRITY_VIOLATION', `cannot restore the state at ${s.at}: ${disagreementMessage(link.name, sidecarFacts(link, plan.storeId, v!.inside), v!.inside)}, and by its own manifest it does not continue ${previous.name}`, {
        reason: 'CHAIN_GAP',
        archive: link.archive,
      });
    if (!v!.ok) throw validationError(v!);
    s.validatedOnTheWay(v!);
    await applyLink(v!, index);
    previous = v!.inside === null ? link : { ...link, toPosition: v!.inside.toPosition, toHash: v!.inside.toHash };
  }
  if (!done && s.atMs !== undefined && plan.blockingGap !== null) throw gapError(`the state at ${s.at}`, plan.blockingGap, plan.storeId);
}

/** The whole restored log, checked as `pconsole verify` does; then recorded as checked, with the restore's meta. */
function verifyRestoredLog(s: BuildRun): void {
  const { plan, onProgress, isCancelled } = s.input;
  const store = s.store!;
  const head = (s.head = store.head());
  if (s.position !== undefined && plan.target.kind !== 'time' && head.position !== s.position)
    throw new ConsoleError('INTEGRITY_VIOLATION', `the archives end at position ${head.position}, before the target ${s.position}`, { headPosition: head.position });
  if (plan.expectedHash !== null && head.position === plan.position && head.hash !== plan.expectedHash)
    throw new ConsoleError('INTEGRITY_VIOLATION', `the restored log ends with hash ${head.hash}, the archive says ${plan.expectedHash}`);

  const writer = store.writerDb();
  writer.pragma('synchronous = FULL');
  onProgress({ phase: 'verifying', done: 0, total: head.position, unit: 'events' });
  const report = (s.report = verifyLog(store.db, {
    isCancelled,
    onProgress: (p) => onProgress({ phase: 'verifying', done: p.phase === 'chain' ? p.done : 0, total: head.position, unit: 'events' }),
  }));
  if (!report.ok || report.headPosition !== head.position || report.headHash !== head.hash) {
    const first = report.problems[0];
    throw new ConsoleError(
      'INTEGRITY_VIOLATION',
      `the restored store failed verification${first === undefined ? '' : `: ${first.code}${first.position === null ? '' : ` at ${first.position}`}: ${first.message}`}; nothing was swapped in`,
      { problems: report.problems.slice(0, 20) },
    );
  }
  const now = s.input.clock();
  // Before the restore's own integrity record, which then follows the carried-over history.
  const from = s.input.carryOverFrom;
  s.carriedOver = from === undefined ? null : carryOverAdminState(from, writer);
  if (s.carriedOver === null || s.carriedOver.notCarried !== null) settleSnapshotRuns(writer, plan.links[0]!);
  recordIntegrityCheck(writer, report, now);
  const setMeta = writer.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const keepMeta = writer.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  writer.transaction(() => {
    keepMeta.run('created_by', `persistence-console ${TOOL_VERSION}`);
    setMeta.run('restored_at', iso(now));
    setMeta.run('restored_by', `persistence-console ${TOOL_VERSION}`);
    setMeta.run('restored_to_position', String(head.position));
    setMeta.run('restored_from', JSON.stringify(s.uses.map((u) => u.archive.split('/').pop())));
  })();
  writer.pragma('wal_checkpoint(TRUNCATE)');
}
