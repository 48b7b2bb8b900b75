import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsoleError } from '../../shared/errors.js';
import type { ArchiveUse, CarriedOver, PlannedLink, RecoveryPlan, RecoveryProgress } from '../../shared/recovery.js';
import type { DecryptionKeyInput } from '../backup/index.js';
import { extractArchive } from '../backup/index.js';
import type { PhaseTimer } from '../platform/index.js';
import { openWritable } from '../platform/index.js';
import { EVENTS_DB, EventStore } from '../store/index.js';
import { writeHeadRecordSync } from '../store/index.js';
import { recordIntegrityCheck } from '../store/index.js';
import { EventReader } from '../store/index.js';
import { verifyLog } from '../store/index.js';
import { TOOL_VERSION } from '../platform/index.js';
import { applyIncrement } from './applyIncrement.js';
import { gapError } from './chooseChain.js';
import { cutBack, firstEventAfter } from './cutBack.js';
import { carryOverAdminState, settleSnapshotRuns } from './carryOverAdminState.js';
import { fsyncFolderFiles } from '../platform/index.js';
import { membersDirOf, validateLinks, validationError, type ValidatedLink } from './validateLinks.js';

export interface BuildInput {
  /** The folder to build the store in (must not exist). */
  readonly dir: string;
  /** The run's scratch space (kept members live under it). */
  readonly work: string;
  readonly plan: RecoveryPlan;
  /** The plan's links, validated, in order. */
  readonly validated: readonly ValidatedLink[];
  readonly keys?: DecryptionKeyInput;
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

/**
 * Builds the restored store (issue 5 item 1, dry run and execute alike): the full archive's verified
 * events.db, cut back when it reaches past the target; the incrementals applied through the engine with
 * every position and hash checked; then the whole log verified (integrity_check, hash chain, streams), the
 * result recorded as an integrity check, meta and head.json written as a fresh store of this id would have
 * them, a fresh views.db (the console's views catch up when the store is opened), everything fsynced.
 */
export async function buildRestoredStore(input: BuildInput): Promise<BuiltStore> {
  const { plan, validated, dir, work, timer, onProgress, isCancelled, step } = input;
  const target = plan.target;
  const atMs = target.kind === 'time' ? Date.parse(target.at) : undefined;
  let position: number | undefined = plan.position ?? undefined;
  const uses: ArchiveUse[] = [];
  const verifyMs = new Map(validated.map((v) => [v.archive, v.durationMs]));
  const use = (link: PlannedLink, usedTo: number) =>
    uses.push({ archive: link.archive, kind: link.kind, fromPosition: link.fromPosition, toPosition: link.toPosition, usedTo, verifyMs: verifyMs.get(link.archive) ?? 0 });

  // 1. The full archive's events.db, moved into the new store's folder.
  onProgress({ phase: 'preparing', done: 0, total: 1, unit: 'steps' });
  await mkdir(dir);
  const full = validated[0]!;
  await rename(await memberOf(full, 0, work, input.keys, isCancelled), join(dir, EVENTS_DB));
  timer.next('prepare');
  step('prepare');

  // 2. Where a time target stops inside it; cut back when the target is before its end.
  /** A time target: the first archived event recorded after the time, once found. */
  const stop: { firstAfter: { position: number; recordedAt: number } | null } = { firstAfter: null };
  let cut: BuiltStore['cutBack'] = null;
  const raw = openWritable(join(dir, EVENTS_DB), { durability: 'normal' });
  try {
    raw.pragma('synchronous = OFF'); // the folder is fsynced as a whole at the end, before it is published
    if (atMs !== undefined) {
      stop.firstAfter = firstEventAfter(raw, atMs) ?? null;
      if (stop.firstAfter !== null) position = stop.firstAfter.position - 1;
    }
    const fullHead = new EventReader(raw).readHead();
    if (position !== undefined && position < fullHead.position) {
      if (position === 0)
        throw new ConsoleError('NOT_FOUND', `no event was recorded at or before ${target.kind === 'time' ? target.at : 'the target'}: the first event was recorded at ${iso(stop.firstAfter!.recordedAt)}`);
      onProgress({ phase: 'cutting', done: 0, total: fullHead.position - position, unit: 'events' });
      cutBack(raw, position);
      cut = { from: fullHead.position, to: position };
      onProgress({ phase: 'cutting', done: fullHead.position - position, total: fullHead.position - position, unit: 'events' });
      timer.next('cut-back');
      step('cut-back');
    }
    use(full.link, Math.min(position ?? fullHead.position, fullHead.position));
  } finally {
    raw.close();
  }

  // 3. The incrementals, through the engine (migrations run when the store opens: an older archive is brought up to date).
  const store = EventStore.open(dir, { clock: input.clock });
  try {
    store.writerDb().pragma('synchronous = OFF');
    let done = (() => {
      const head = store.head().position;
      return stop.firstAfter !== null || (position !== undefined && head >= position);
    })();
    const plannedTotal = (position ?? plan.links[plan.links.length - 1]!.toPosition) - store.head().position;
    let applied = 0;
    const applyLink = async (v: ValidatedLink, index: number) => {
      const ndjson = await memberOf(v, index, work, input.keys, isCancelled);
      const result = await applyIncrement(store, ndjson, { position, afterMs: atMs }, {
        archive: v.link.archive,
        doneBefore: applied,
        total: plannedTotal > 0 ? plannedTotal : null,
        onProgress,
        isCancelled,
      });
      applied += result.applied;
      await rm(ndjson, { force: true }); // room for the next one
      use(v.link, result.applied === 0 ? v.link.fromPosition : result.lastPosition);
      if (result.firstAfter !== null) {
        stop.firstAfter = result.firstAfter;
        position = result.firstAfter.position - 1;
        done = true;
      } else if (result.reachedPosition || (position !== undefined && result.lastPosition >= position)) done = true;
    };
    for (let i = 1; i < validated.length && !done; i++) await applyLink(validated[i]!, i);
    // A time target with no event after it in the planned archives: the chain goes on (imported events can carry older times).
    let previous = plan.links[plan.links.length - 1]!;
    for (let i = 0; i < plan.continuation.length && !done; i++) {
      const link = plan.continuation[i]!;
      const index = plan.links.length + i;
      const [v] = await validateLinks([link], index, previous, {
        keys: input.keys,
        scratchDir: work,
        keepMembers: true,
        record: input.record,
        stopAtFirstFailure: true,
        onProgress,
        isCancelled,
      });
      if (!v!.ok) throw validationError(v!);
      await applyLink(v!, index);
      previous = link;
    }
    if (!done && atMs !== undefined && plan.blockingGap !== null) throw gapError(`the state at ${target.kind === 'time' ? target.at : ''}`, plan.blockingGap, plan.storeId);
    if (applied > 0) {
      timer.next('apply');
      step('apply');
    }

    const head = store.head();
    if (position !== undefined && target.kind !== 'time' && head.position !== position)
      throw new ConsoleError('INTEGRITY_VIOLATION', `the archives end at position ${head.position}, before the target ${position}`, { headPosition: head.position });
    if (plan.expectedHash !== null && head.position === plan.position && head.hash !== plan.expectedHash)
      throw new ConsoleError('INTEGRITY_VIOLATION', `the restored log ends with hash ${head.hash}, the archive says ${plan.expectedHash}`);

    // 4. The whole restored log, checked as `pconsole verify` does.
    const writer = store.writerDb();
    writer.pragma('synchronous = FULL');
    onProgress({ phase: 'verifying', done: 0, total: head.position, unit: 'events' });
    const report = verifyLog(store.db, {
      isCancelled,
      onProgress: (p) => onProgress({ phase: 'verifying', done: p.phase === 'chain' ? p.done : 0, total: head.position, unit: 'events' }),
    });
    if (!report.ok || report.headPosition !== head.position || report.headHash !== head.hash) {
      const first = report.problems[0];
      throw new ConsoleError(
        'INTEGRITY_VIOLATION',
        `the restored store failed verification${first === undefined ? '' : `: ${first.code}${first.position === null ? '' : ` at ${first.position}`}: ${first.message}`}; nothing was swapped in`,
        { problems: report.problems.slice(0, 20) },
      );
    }
    const now = input.clock();
    // Before the restore's own integrity record, which then follows the carried-over history.
    const carriedOver = input.carryOverFrom === undefined ? null : carryOverAdminState(input.carryOverFrom, writer);
    if (carriedOver === null || carriedOver.notCarried !== null) settleSnapshotRuns(writer, plan.links[0]!);
    recordIntegrityCheck(writer, report, now);
    const setMeta = writer.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const keepMeta = writer.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
    writer.transaction(() => {
      keepMeta.run('created_by', `persistence-console ${TOOL_VERSION}`);
      setMeta.run('restored_at', iso(now));
      setMeta.run('restored_by', `persistence-console ${TOOL_VERSION}`);
      setMeta.run('restored_to_position', String(head.position));
      setMeta.run('restored_from', JSON.stringify(uses.map((u) => u.archive.split('/').pop())));
    })();
    writer.pragma('wal_checkpoint(TRUNCATE)');
    timer.next('verify');
    step('verify');

    let timeNote: string | null = null;
    if (target.kind === 'time') {
      const last = head.position === 0 ? undefined : store.reader.eventAt(head.position);
      timeNote =
        `the last event recorded at or before ${target.at} is at position ${head.position}` +
        (last === undefined ? '' : ` (recorded ${iso(last.recordedAt)})`) +
        (stop.firstAfter === null
          ? '; no archived event was recorded after that time'
          : `; the next event, at position ${stop.firstAfter.position}, was recorded ${iso(stop.firstAfter.recordedAt)}`);
    }
    const result: BuiltStore = { position: head.position, hash: head.hash, recordedAt: head.recordedAt, uses, cutBack: cut, checkedEvents: report.checkedEvents, timeNote, carriedOver };
    store.close();
    // 5. head.json for the restored head (the store as it was may have recorded a later one), views, fsync.
    onProgress({ phase: 'finishing', done: 0, total: 1, unit: 'steps' });
    writeHeadRecordSync(dir, head.position, head.hash);
    await fsyncFolderFiles(dir);
    timer.next('finish');
    step('finish');
    return result;
  } finally {
    store.close();
  }
}
