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
import { atField, fieldError, parseInput } from '../../../shared/validation.js';
import {
  checkTimeZone,
  compileCron,
  hostTimeZone,
  PolicyRuns,
  RecurringJobs,
  runInWords,
  systemClock,
  type Clock,
  type Due,
  type PendingRun,
  type RecurringPolicy,
  type RecurringSchedule,
  type WritableDB,
} from '../../platform/index.js';
import type { CreateBackupRequest, CreateBackupResult } from '../createBackup.js';
import type { PruneRequest, PruneResult } from '../prune.js';
import type { VerifyArchiveRequest } from '../verifyArchive.js';
import { readSigningKeyFile } from '../signing.js';
import { trustedKeyInput } from '../trustedKey.js';
import { performScheduledRun } from './scheduledRun.js';
import { ScheduleRepository, type RunEnd } from './scheduleRepository.js';

/** How long work runs: the console runs it in worker threads (host/schedulers.ts); tests pass fakes. */
export interface SchedulerRunners {
  backup(request: CreateBackupRequest, options: { signal: AbortSignal; onProgress: (p: BackupProgress) => void }): Promise<CreateBackupResult>;
  verify(request: VerifyArchiveRequest, options: { signal: AbortSignal; onProgress: (p: BackupProgress) => void }): Promise<ArchiveVerification>;
  prune(request: PruneRequest): Promise<PruneResult>;
}

export interface BackupSchedulerOptions {
  /** The store whose schedules these are: its folder, and its writer connection for the two tables. */
  readonly store: { readonly dir: string; readonly db: WritableDB };
  readonly runners: SchedulerRunners;
  readonly clock?: Clock;
  /** Reads a passphrase file named by a schedule (default: its first line). */
  readonly readPassphrase?: (path: string) => string;
  /** The engine shared with the store's other recurring work; without one the scheduler runs its own. */
  readonly recurring?: RecurringJobs;
  /**
   * How a due run enters the front door (the console: `backup.runNow` through the API pipeline, which comes
   * back to `runScheduled`); resolves when the run ended. Without it, due runs execute here directly.
   */
  readonly dispatch?: (scheduleId: string, due: Due) => Promise<void>;
}

export interface SchedulerStatus {
  readonly started: boolean;
  readonly running: { readonly runId: number; readonly scheduleId: string | null; readonly progress: BackupProgress | null } | null;
  readonly next: readonly PendingRun[];
}

export type SchedulerEvent =
  | { readonly type: 'run-started'; readonly run: BackupRun }
  | { readonly type: 'run-progress'; readonly runId: number; readonly progress: BackupProgress }
  | { readonly type: 'run-finished'; readonly run: BackupRun }
  | { readonly type: 'schedules-changed' };

type EngineSchedule = RecurringSchedule & { readonly definition: BackupSchedule };

const POLICY = 'backup';

/**
 * A store's backup schedules (issue 4 item 2) as a policy of the recurring-job engine: cron expressions in
 * the schedule's time zone, starts only inside the backup window, one run at a time (a run due while its
 * own schedule's previous run is going is recorded as skipped; another schedule's waits), every run
 * recorded in events.db with its outcome, and, at start, a run missed while the app was closed caught up
 * when waiting for the next one would break the schedule's RPO target. It holds no timer and no thread.
 */
export class BackupScheduler {
  private readonly repo: ScheduleRepository;
  private readonly clock: Clock;
  private readonly policyRuns: PolicyRuns<BackupProgress>;
  private readonly emitter = new EventEmitter();
  /** The history line of the run going now. */
  private runningId: number | undefined;

  constructor(private readonly options: BackupSchedulerOptions) {
    this.repo = new ScheduleRepository(options.store.db);
    this.clock = options.clock ?? systemClock;
    this.policyRuns = new PolicyRuns(POLICY, options.recurring ?? new RecurringJobs(this.clock), options.recurring === undefined);
    this.emitter.setMaxListeners(0);
    this.policyRuns.engine.register(this.policy());
  }

  private get recurring(): RecurringJobs {
    return this.policyRuns.engine;
  }

  /** Records runs a stopped process left running; with its own engine, plans the schedules and arms the timer. */
  start(): void {
    this.policyRuns.start(() => this.repo.markInterrupted(this.clock.now()));
  }

  /** Stops planning runs, cancels a running backup and waits for it to be recorded. */
  stop(): Promise<void> {
    return this.policyRuns.stop();
  }

  listSchedules(): BackupSchedule[] {
    return this.repo.listSchedules();
  }

  /** Creates (no id) or replaces a schedule after checking it (cron, time zone, folder, key source). */
  saveSchedule(input: BackupScheduleInput, id?: string): BackupSchedule {
    const definition = parseInput(backupScheduleInputSchema, input);
    const timezone = definition.timezone ?? hostTimeZone();
    atField(['timezone'], () => checkTimeZone(timezone));
    atField(['cron'], () => compileCron(definition.cron, timezone));
    if (!isAbsolute(definition.destination)) throw fieldError(['destination'], `must be an absolute path, got ${definition.destination}`);
    if (definition.encryption.kind === 'age-passphrase' && !isAbsolute(definition.encryption.passphraseFile))
      throw fieldError(['encryption', 'passphraseFile'], 'the passphrase file must be named by an absolute path');
    if (definition.signKeyFile !== null) {
      if (!isAbsolute(definition.signKeyFile)) throw fieldError(['signKeyFile'], 'the signing key file must be named by an absolute path');
      // Read now to say at once when it is no Ed25519 key; it is read again at each run and never stored.
      atField(['signKeyFile'], () => readSigningKeyFile(definition.signKeyFile!));
    }
    const saved = this.repo.saveSchedule({ ...definition, destination: resolve(definition.destination) }, this.clock.now(), id);
    this.changed(saved.id);
    return saved;
  }

  deleteSchedule(id: string): boolean {
    const deleted = this.repo.deleteSchedule(id);
    if (deleted) this.changed();
    return deleted;
  }

  runs(options: { readonly scheduleId?: string; readonly limit?: number } = {}): BackupRun[] {
    return this.repo.runs(options);
  }

  /** The next runs of a schedule, in words, for the UI. */
  nextRuns(scheduleId: string, count = 5): CronRun[] {
    const schedule = toEngineSchedule(this.requireSchedule(scheduleId));
    const now = this.clock.now();
    return this.recurring.nextStarts(schedule, count).map((at) => ({ at: new Date(at).toISOString(), words: runInWords(at, now, schedule.timezone) }));
  }

  status(): SchedulerStatus {
    const active = this.policyRuns.active;
    return {
      started: this.policyRuns.isStarted,
      running: active === undefined || this.runningId === undefined ? null : { runId: this.runningId, scheduleId: active.key, progress: active.progress },
      next: this.recurring.pending(POLICY),
    };
  }

  /** Runs a schedule now, whatever its cron and window say; BUSY while another run is going. */
  async runNow(scheduleId: string): Promise<BackupRun> {
    const schedule = this.requireSchedule(scheduleId);
    if (this.policyRuns.active !== undefined) throw new ConsoleError('BUSY', 'a backup is already running for this store: wait for it to finish');
    return this.execute(schedule, 'manual', this.clock.now());
  }

  /**
   * Runs a due run the engine dispatched through the front door. A run started by hand in the moment
   * between (or a schedule deleted meanwhile) makes it a skipped run, recorded as such.
   */
  async runScheduled(scheduleId: string, due: Due): Promise<BackupRun> {
    const schedule = this.requireSchedule(scheduleId);
    if (this.policyRuns.active !== undefined) return this.recordNotRun(schedule, due, 'skipped', 'another backup of this store was running', this.clock.now());
    return this.execute(schedule, due.trigger, due.at);
  }

  onEvent(listener: (event: SchedulerEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /**
   * Records a backup started by hand (not by a schedule) in the run history, so it shows there and its
   * duration survives a restart; returns the function that records its end.
   */
  recordManualRun(kind: BackupRun['kind']): { readonly runId: number; readonly finish: (end: RunEnd) => BackupRun } {
    const now = this.clock.now();
    const runId = this.repo.insertRun({ scheduleId: null, trigger: 'manual', kind, dueAt: now, startedAt: now, outcome: 'running' });
    this.emit({ type: 'run-started', run: this.repo.run(runId)! });
    return {
      runId,
      finish: (end) => {
        this.repo.finishRun(runId, end);
        const run = this.repo.run(runId)!;
        this.emit({ type: 'run-finished', run });
        return run;
      },
    };
  }

  /** Cancels the running backup, if any. */
  cancelRunning(): boolean {
    return this.policyRuns.cancel();
  }

  private policy(): RecurringPolicy<EngineSchedule> {
    return {
      name: POLICY,
      windowName: 'backup window',
      schedules: () => this.repo.listSchedules().map(toEngineSchedule),
      catchUp: (s) => ({ kind: 'rpo', rpoMinutes: s.definition.rpoMinutes, lastSuccessAt: this.repo.lastSuccessAt(s.definition.destination) }),
      lastDueAt: (s) => this.repo.lastDueAt(s.id),
      running: () => this.policyRuns.active?.key ?? null,
      recordNotRun: (s, due, outcome, note, now) => void this.recordNotRun(s.definition, due, outcome, note, now),
      start: async (s, due) => {
        if (this.options.dispatch !== undefined) await this.options.dispatch(s.id, due);
        else await this.execute(s.definition, due.trigger, due.at);
      },
    };
  }

  private recordNotRun(schedule: BackupSchedule, due: Due, outcome: 'missed' | 'skipped', note: string, now: number): BackupRun {
    const id = this.repo.insertRun({ scheduleId: schedule.id, trigger: due.trigger, kind: schedule.kind, dueAt: due.at, startedAt: null, endedAt: now, outcome, note });
    const run = this.repo.run(id)!;
    // A miss is recorded while the app starts: nobody listens yet. A skip happens live: screens show it.
    if (outcome === 'skipped') this.emit({ type: 'run-finished', run });
    return run;
  }

  private requireSchedule(id: string): BackupSchedule {
    const schedule = this.repo.getSchedule(id);
    if (schedule === undefined) throw new ConsoleError('NOT_FOUND', `no backup schedule ${id}`);
    return schedule;
  }

  private emit(event: SchedulerEvent): void {
    this.emitter.emit('event', event);
  }

  private changed(savedId?: string): void {
    this.recurring.schedulesChanged(POLICY, savedId);
    this.emit({ type: 'schedules-changed' });
  }

  private execute(schedule: BackupSchedule, trigger: BackupRunTrigger, dueAt: number): Promise<BackupRun> {
    const runId = this.repo.insertRun({ scheduleId: schedule.id, trigger, kind: schedule.kind, dueAt, startedAt: this.clock.now(), outcome: 'running' });
    this.runningId = runId;
    return this.policyRuns.run(
      schedule.id,
      async (run) => {
        this.emit({ type: 'run-started', run: this.repo.run(runId)! });
        const end = await performScheduledRun(schedule, {
          storeDir: this.options.store.dir,
          runners: this.options.runners,
          signal: run.signal,
          readPassphrase: this.options.readPassphrase,
          trustedKey: trustedKeyInput(this.options.store.db),
          now: () => this.clock.now(),
          onProgress: (progress) => {
            run.progress = progress;
            this.emit({ type: 'run-progress', runId, progress });
          },
        });
        this.repo.finishRun(runId, end);
        return this.repo.run(runId)!;
      },
      (run) => {
        this.emit({ type: 'run-finished', run });
        return run;
      },
    );
  }
}

function toEngineSchedule(definition: BackupSchedule): EngineSchedule {
  return {
    id: definition.id,
    cron: definition.cron,
    timezone: definition.timezone ?? hostTimeZone(),
    window: definition.window,
    enabled: definition.enabled,
    updatedAt: Date.parse(definition.updatedAt),
    definition,
  };
}
