import { EventEmitter } from 'node:events';
import { isAbsolute, resolve } from 'node:path';
import {
  backupScheduleInputSchema,
  type ArchiveVerification,
  type BackupProgress,
  type BackupRun,
  type BackupRunTrigger,
  type BackupSchedule,
  type BackupScheduleInput,
  type CronRun,
} from '../../../shared/backup.js';
import { ConsoleError } from '../../../shared/errors.js';
import type { WritableDB } from '../../platform/index.js';
import type { CreateBackupRequest, CreateBackupResult } from '../createBackup.js';
import type { PruneRequest, PruneResult } from '../prune.js';
import type { VerifyArchiveRequest } from '../verifyArchive.js';
import { hostTimeZone, systemClock, type SchedulerClock } from '../../platform/index.js';
import { decideAtStart } from '../../platform/index.js';
import { checkTimeZone, compileCron, nextRunAfter, runInWords } from '../../platform/index.js';
import { performScheduledRun } from './scheduledRun.js';
import { ScheduleRepository, type RunEnd } from './scheduleRepository.js';
import { describeWindow, isInWindow } from '../../platform/index.js';

/** How long work runs: the defaults run it in a worker thread (runJob); tests pass fakes. */
export interface SchedulerRunners {
  backup(request: CreateBackupRequest, options: { signal: AbortSignal; onProgress: (p: BackupProgress) => void }): Promise<CreateBackupResult>;
  verify(request: VerifyArchiveRequest, options: { signal: AbortSignal; onProgress: (p: BackupProgress) => void }): Promise<ArchiveVerification>;
  prune(request: PruneRequest): Promise<PruneResult>;
}

export interface BackupSchedulerOptions {
  /** The store whose schedules these are: its folder, and its writer connection for the two tables. */
  readonly store: { readonly dir: string; readonly db: WritableDB };
  readonly runners: SchedulerRunners;
  readonly clock?: SchedulerClock;
  /** Reads a passphrase file named by a schedule (default: its first line). */
  readonly readPassphrase?: (path: string) => string;
}

export interface SchedulerStatus {
  readonly started: boolean;
  readonly running: { readonly runId: number; readonly scheduleId: string | null; readonly progress: BackupProgress | null } | null;
  readonly next: ReadonlyArray<{ readonly scheduleId: string; readonly at: string; readonly trigger: BackupRunTrigger }>;
}

export type SchedulerEvent =
  | { readonly type: 'run-started'; readonly run: BackupRun }
  | { readonly type: 'run-progress'; readonly runId: number; readonly progress: BackupProgress }
  | { readonly type: 'run-finished'; readonly run: BackupRun }
  | { readonly type: 'schedules-changed' };

interface RunningBackup {
  readonly runId: number;
  readonly scheduleId: string | null;
  readonly controller: AbortController;
  progress: BackupProgress | null;
  done: Promise<BackupRun>;
}

/** Timers are re-armed at least this often, so a suspended machine or a changed clock is noticed. */
const MAX_SLEEP_MS = 60 * 60_000;

interface Pending {
  at: number;
  trigger: BackupRunTrigger;
}

/**
 * Runs a store's backup schedules (issue 4 item 2): cron expressions in the schedule's time zone, starts
 * only inside the backup window, one run at a time (a run due while another is going is recorded as
 * skipped), every run recorded in events.db with its outcome, and — at start — a run missed while the
 * app was closed is caught up when waiting for the next one would break the schedule's RPO target.
 * Usable from Electron's main process and `pconsole serve`: it holds one timer and no threads of its own.
 */
export class BackupScheduler {
  private readonly repo: ScheduleRepository;
  private readonly clock: SchedulerClock;
  private readonly emitter = new EventEmitter();
  private readonly pending = new Map<string, Pending>();
  /** Runs of other schedules that came due during a run: they start, in order, when it ends. */
  private readonly queued: Array<{ schedule: BackupSchedule; due: Pending }> = [];
  private timer: unknown;
  private started = false;
  private current: RunningBackup | undefined;

  constructor(private readonly options: BackupSchedulerOptions) {
    this.repo = new ScheduleRepository(options.store.db);
    this.clock = options.clock ?? systemClock;
    this.emitter.setMaxListeners(0);
  }

  /** Loads the schedules, records or catches up runs missed while the app was closed, and arms the timer. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.clock.now();
    this.repo.markInterrupted(now);
    for (const schedule of this.repo.listSchedules()) if (schedule.enabled) this.planAtStart(schedule, now);
    this.arm();
  }

  /** Stops the timer, cancels a running backup and waits for it to be recorded. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.queued.length = 0;
    if (this.current !== undefined) {
      this.current.controller.abort();
      await this.current.done.catch(() => undefined);
    }
  }

  listSchedules(): BackupSchedule[] {
    return this.repo.listSchedules();
  }

  /** Creates (no id) or replaces a schedule after checking it (cron, time zone, folder, key source). */
  saveSchedule(input: BackupScheduleInput, id?: string): BackupSchedule {
    const parsed = backupScheduleInputSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ConsoleError('INVALID_INPUT', `${issue.path.join('.') || 'schedule'}: ${issue.message}`);
    }
    const definition = parsed.data;
    const timezone = definition.timezone ?? hostTimeZone();
    checkTimeZone(timezone);
    compileCron(definition.cron, timezone);
    if (!isAbsolute(definition.destination)) throw new ConsoleError('INVALID_INPUT', `destination must be an absolute path, got ${definition.destination}`);
    if (definition.encryption.kind === 'age-passphrase' && !isAbsolute(definition.encryption.passphraseFile))
      throw new ConsoleError('INVALID_INPUT', 'the passphrase file must be named by an absolute path');
    const saved = this.repo.saveSchedule({ ...definition, destination: resolve(definition.destination) }, this.clock.now(), id);
    this.pending.delete(saved.id);
    if (this.started && saved.enabled) this.pending.set(saved.id, { at: this.nextOccurrence(saved, this.clock.now()) ?? Infinity, trigger: 'schedule' });
    this.changed();
    return saved;
  }

  deleteSchedule(id: string): boolean {
    const deleted = this.repo.deleteSchedule(id);
    this.pending.delete(id);
    if (deleted) this.changed();
    return deleted;
  }

  runs(options: { readonly scheduleId?: string; readonly limit?: number } = {}): BackupRun[] {
    return this.repo.runs(options);
  }

  /** The next runs of a schedule, in words, for the UI. */
  nextRuns(scheduleId: string, count = 5): CronRun[] {
    const schedule = this.requireSchedule(scheduleId);
    const timezone = schedule.timezone ?? hostTimeZone();
    const cron = compileCron(schedule.cron, timezone);
    const now = this.clock.now();
    const out: CronRun[] = [];
    let after = now;
    while (out.length < count) {
      const at = nextRunAfter(cron, after);
      if (at === undefined) break;
      if (isInWindow(at, schedule.window, timezone)) out.push({ at: new Date(at).toISOString(), words: runInWords(at, now, timezone) });
      after = at;
      if (at - now > 400 * 86_400_000) break; // a window that never meets the cron times
    }
    return out;
  }

  status(): SchedulerStatus {
    return {
      started: this.started,
      running: this.current === undefined ? null : { runId: this.current.runId, scheduleId: this.current.scheduleId, progress: this.current.progress },
      next: [...this.pending]
        .filter(([, p]) => Number.isFinite(p.at))
        .sort(([, a], [, b]) => a.at - b.at)
        .map(([scheduleId, p]) => ({ scheduleId, at: new Date(p.at).toISOString(), trigger: p.trigger })),
    };
  }

  /** Runs a schedule now, whatever its cron and window say; BUSY while another run is going. */
  async runNow(scheduleId: string): Promise<BackupRun> {
    const schedule = this.requireSchedule(scheduleId);
    if (this.current !== undefined) throw new ConsoleError('BUSY', 'a backup is already running for this store: wait for it to finish');
    return this.execute(schedule, 'manual', this.clock.now());
  }

  onEvent(listener: (event: SchedulerEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /**
   * Records a backup started by hand (not by a schedule) in the run history, so it shows there and its
   * duration survives a restart; returns the function that records its end.
   */
  recordManualRun(kind: BackupRun['kind']): (end: RunEnd) => BackupRun {
    const now = this.clock.now();
    const runId = this.repo.insertRun({ scheduleId: null, trigger: 'manual', kind, dueAt: now, startedAt: now, outcome: 'running' });
    this.emit({ type: 'run-started', run: this.repo.run(runId)! });
    return (end) => {
      this.repo.finishRun(runId, end);
      const run = this.repo.run(runId)!;
      this.emit({ type: 'run-finished', run });
      return run;
    };
  }

  /** Cancels the running backup, if any. */
  cancelRunning(): boolean {
    if (this.current === undefined) return false;
    this.current.controller.abort();
    return true;
  }

  private requireSchedule(id: string): BackupSchedule {
    const schedule = this.repo.getSchedule(id);
    if (schedule === undefined) throw new ConsoleError('NOT_FOUND', `no backup schedule ${id}`);
    return schedule;
  }

  private emit(event: SchedulerEvent): void {
    this.emitter.emit('event', event);
  }

  private changed(): void {
    this.emit({ type: 'schedules-changed' });
    if (this.started) this.arm();
  }

  private nextOccurrence(schedule: BackupSchedule, afterMs: number): number | undefined {
    return nextRunAfter(compileCron(schedule.cron, schedule.timezone ?? hostTimeZone()), afterMs);
  }

  /** At start: wait, catch up a missed run, or record the miss (catchUp.ts decides). */
  private planAtStart(schedule: BackupSchedule, now: number): void {
    const decision = decideAtStart({
      cron: schedule.cron,
      timezone: schedule.timezone ?? hostTimeZone(),
      window: schedule.window,
      rpoMinutes: schedule.rpoMinutes,
      now,
      lastDueAt: this.repo.lastDueAt(schedule.id),
      updatedAt: Date.parse(schedule.updatedAt),
      lastSuccessAt: this.repo.lastSuccessAt(schedule.destination),
    });
    if (decision.kind === 'catch-up') {
      this.pending.set(schedule.id, { at: decision.at, trigger: 'catch-up' });
      return;
    }
    this.pending.set(schedule.id, { at: decision.next ?? Infinity, trigger: 'schedule' });
    if (decision.kind === 'missed')
      this.repo.insertRun({
        scheduleId: schedule.id,
        trigger: 'schedule',
        kind: schedule.kind,
        dueAt: decision.dueAt,
        startedAt: null,
        endedAt: now,
        outcome: 'missed',
        note: decision.note,
      });
  }

  private arm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    if (!this.started) return;
    const soonest = Math.min(...[...this.pending.values()].map((p) => p.at));
    if (!Number.isFinite(soonest)) return;
    const delay = Math.max(0, Math.min(soonest - this.clock.now(), MAX_SLEEP_MS));
    this.timer = this.clock.setTimer(() => this.tick(), delay);
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.started) return;
    const now = this.clock.now();
    const due = [...this.pending].filter(([, p]) => p.at <= now).sort(([, a], [, b]) => a.at - b.at);
    for (const [id, p] of due) {
      const schedule = this.repo.getSchedule(id);
      if (schedule === undefined || !schedule.enabled) {
        this.pending.delete(id);
        continue;
      }
      this.pending.set(id, { at: this.nextOccurrence(schedule, now) ?? Infinity, trigger: 'schedule' });
      this.fire(schedule, p, now);
    }
    this.arm();
  }

  /**
   * A due run starts now, unless it is outside the window (recorded as skipped), its own schedule's
   * previous run is still going (skipped: runs never pile up), or another schedule's run is going (then
   * it waits for that one to end: one backup of a store at a time).
   */
  private fire(schedule: BackupSchedule, due: Pending, now: number): void {
    const timezone = schedule.timezone ?? hostTimeZone();
    const skip = (note: string) => {
      const id = this.repo.insertRun({ scheduleId: schedule.id, trigger: due.trigger, kind: schedule.kind, dueAt: due.at, startedAt: null, endedAt: now, outcome: 'skipped', note });
      this.emit({ type: 'run-finished', run: this.repo.run(id)! });
    };
    if (!isInWindow(now, schedule.window, timezone)) return skip(`outside the backup window ${describeWindow(schedule.window!)}`);
    if (this.current !== undefined) {
      if (this.current.scheduleId === schedule.id || this.queued.some((q) => q.schedule.id === schedule.id)) return skip('the previous run of this schedule was still running');
      this.queued.push({ schedule, due });
      return;
    }
    this.execute(schedule, due.trigger, due.at).catch(() => undefined); // the outcome is recorded in the run
  }

  /** Starts the next run that waited for the one that just ended. */
  private startQueued(): void {
    const next = this.queued.shift();
    if (next === undefined || !this.started) return;
    this.fire(this.repo.getSchedule(next.schedule.id) ?? next.schedule, next.due, this.clock.now());
  }

  private execute(schedule: BackupSchedule, trigger: BackupRunTrigger, dueAt: number): Promise<BackupRun> {
    const runId = this.repo.insertRun({ scheduleId: schedule.id, trigger, kind: schedule.kind, dueAt, startedAt: this.clock.now(), outcome: 'running' });
    const controller = new AbortController();
    const running: RunningBackup = { runId, scheduleId: schedule.id, controller, progress: null, done: Promise.resolve(undefined as unknown as BackupRun) };
    // Set before any of the run's code: a due run that comes while this one goes must see it.
    this.current = running;
    running.done = (async (): Promise<BackupRun> => {
      await Promise.resolve();
      this.emit({ type: 'run-started', run: this.repo.run(runId)! });
      try {
        const end = await performScheduledRun(schedule, {
          storeDir: this.options.store.dir,
          runners: this.options.runners,
          signal: controller.signal,
          readPassphrase: this.options.readPassphrase,
          now: () => this.clock.now(),
          onProgress: (progress) => {
            running.progress = progress;
            this.emit({ type: 'run-progress', runId, progress });
          },
        });
        this.repo.finishRun(runId, end);
      } finally {
        if (this.current === running) this.current = undefined;
      }
      const run = this.repo.run(runId)!;
      this.emit({ type: 'run-finished', run });
      this.startQueued();
      return run;
    })();
    return running.done;
  }
}
