import { EventEmitter } from 'node:events';
import { isAbsolute } from 'node:path';
import { ConsoleError, toErrorInfo } from '../../shared/errors.js';
import {
  drillPolicyInputSchema,
  type DrillKeySource,
  type DrillPolicy,
  type DrillPolicyInput,
  type DrillRecord,
  type DrillReport,
  type DrillStatus,
  type DrillTrigger,
  type RecoveryProgress,
} from '../../shared/recovery.js';
import { atField, fieldError, parseInput } from '../../shared/validation.js';
import { readDecryptionKeyFiles, trustedKeyInput, type DecryptionKeyInput, type TrustedKeyInput } from '../backup/index.js';
import { checkTimeZone, compileCron, hostTimeZone, PolicyRuns, RecurringJobs, systemClock, type Clock, type Due, type RecurringPolicy, type RecurringSchedule, type WritableDB } from '../platform/index.js';
import { drillById, finishDrill, insertDrill, lastDrills, listDrills, markInterruptedDrills, readDrillPolicy, writeDrillPolicy, deleteDrillPolicy } from './drillRepository.js';
import { drillWarning } from './drillWarning.js';
import type { DrillRequest } from './runDrill.js';

/** Runs one drill; the console runs it in a worker thread (host/schedulers.ts), tests pass fakes. */
export type DrillRunner = (request: DrillRequest, options: { readonly signal: AbortSignal; readonly onProgress: (p: RecoveryProgress) => void }) => Promise<DrillReport>;

export interface DrillSchedulerOptions {
  /** The store whose drills these are: its folder, and its writer connection for the settings and history. */
  readonly store: { readonly dir: string; readonly db: WritableDB };
  readonly runner: DrillRunner;
  readonly clock?: Clock;
  /** Reads the key a policy names (default: the passphrase or identity file). */
  readonly readKeys?: (source: DrillKeySource) => DecryptionKeyInput;
  /** The engine shared with the store's other recurring work; without one the scheduler runs its own. */
  readonly recurring?: RecurringJobs;
  /** How a due drill enters the front door (the console: `recovery.runDrill` through the pipeline); resolves when it ended. */
  readonly dispatch?: (due: Due) => Promise<void>;
}

/** What a drill started by hand may use instead of the policy's: the CLI names its own folder and key. */
export interface DrillOverrides {
  readonly trigger?: Extract<DrillTrigger, 'manual' | 'cli'>;
  readonly backupsDir?: string;
  readonly keys?: DecryptionKeyInput;
  readonly scratchDir?: string;
  /** Instead of the store's trusted key. */
  readonly trustedKey?: TrustedKeyInput;
}

export type DrillSchedulerEvent =
  | { readonly type: 'drill-started'; readonly drill: DrillRecord }
  | { readonly type: 'drill-progress'; readonly drillId: number; readonly progress: RecoveryProgress }
  | { readonly type: 'drill-finished'; readonly drill: DrillRecord }
  | { readonly type: 'policy-changed' };

const POLICY = 'drill';
/** A store has one drill policy: the engine knows it as one schedule. */
const SCHEDULE_ID = 'drill-policy';

export function defaultReadKeys(source: DrillKeySource): DecryptionKeyInput {
  if (source.kind === 'passphrase-file') return readDecryptionKeyFiles({ passphraseFile: source.path });
  if (source.kind === 'identity-file') return readDecryptionKeyFiles({ identityFile: source.path });
  return {};
}

/**
 * A store's recovery drills (issue 5 item 2) as a policy of the recurring-job engine: a cron expression in
 * the policy's time zone, one drill at a time, every drill recorded in events.db with the RTO and RPO it
 * achieved against the policy's targets; a drill that came due while the app was closed runs at start.
 * `status()` carries the warning Overview shows (last drill failed, older than the policy allows, never
 * run, targets missed). Drills run through `runner`.
 */
export class DrillScheduler {
  private readonly clock: Clock;
  private readonly policyRuns: PolicyRuns<RecoveryProgress>;
  private readonly emitter = new EventEmitter();
  /** When the drill going now started. */
  private runningSince = 0;

  constructor(private readonly options: DrillSchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.policyRuns = new PolicyRuns(POLICY, options.recurring ?? new RecurringJobs(this.clock), options.recurring === undefined);
    this.emitter.setMaxListeners(0);
    this.recurring.register(this.enginePolicy());
  }

  private get db(): WritableDB {
    return this.options.store.db;
  }

  private get recurring(): RecurringJobs {
    return this.policyRuns.engine;
  }

  /** Records drills a stopped process left running; with its own engine, plans the next drill and arms the timer. */
  start(): void {
    this.policyRuns.start(() => markInterruptedDrills(this.db, this.clock.now()));
  }

  /** Stops planning drills, cancels a running drill and waits for it to be recorded. */
  stop(): Promise<void> {
    return this.policyRuns.stop();
  }

  policy(): DrillPolicy | null {
    return readDrillPolicy(this.db);
  }

  /** Checks (cron, time zone, absolute paths) and stores the policy; the next drill follows it. */
  savePolicy(input: DrillPolicyInput): DrillPolicy {
    const policy = parseInput(drillPolicyInputSchema, input);
    const timezone = policy.timezone ?? hostTimeZone();
    atField(['timezone'], () => checkTimeZone(timezone));
    atField(['cron'], () => compileCron(policy.cron, timezone));
    for (const [path, value] of [
      [['backupsDir'], policy.backupsDir],
      [['key', 'path'], policy.key.kind === 'none' ? undefined : policy.key.path],
      [['scratchDir'], policy.scratchDir ?? undefined],
    ] as const) {
      if (value !== undefined && !isAbsolute(value)) throw fieldError(path, `must be an absolute path, got ${value}`);
    }
    const saved = writeDrillPolicy(this.db, policy, this.clock.now());
    this.recurring.schedulesChanged(POLICY, SCHEDULE_ID);
    this.emit({ type: 'policy-changed' });
    return saved;
  }

  deletePolicy(): boolean {
    const deleted = deleteDrillPolicy(this.db);
    this.recurring.schedulesChanged(POLICY);
    if (deleted) this.emit({ type: 'policy-changed' });
    return deleted;
  }

  history(limit = 100): DrillRecord[] {
    return listDrills(this.db, limit);
  }

  status(): DrillStatus {
    const policy = this.policy();
    const { last, lastSuccess } = lastDrills(this.db);
    const next = this.recurring.pending(POLICY)[0];
    const active = this.policyRuns.active;
    return {
      policy,
      started: this.policyRuns.isStarted,
      running: active === undefined ? null : { startedAt: new Date(this.runningSince).toISOString(), progress: active.progress },
      next: next === undefined ? null : { at: next.at, trigger: next.trigger },
      last,
      lastSuccess,
      warning: drillWarning(policy, last, lastSuccess, this.clock.now()),
    };
  }

  /**
   * Runs a drill now; BUSY while one runs. It uses the policy's folder and key unless `overrides` names
   * others (NOT_FOUND when there is neither a policy nor a folder to drill from).
   */
  async runNow(overrides: DrillOverrides = {}): Promise<DrillRecord> {
    const policy = this.policy();
    if (policy === null && overrides.backupsDir === undefined)
      throw new ConsoleError('NOT_FOUND', 'this store has no drill policy: set one (backups folder, key, schedule) first');
    if (this.policyRuns.active !== undefined) throw new ConsoleError('BUSY', 'a recovery drill is already running for this store: wait for it to finish');
    return this.execute(policy, overrides.trigger ?? 'manual', overrides);
  }

  /** Runs a due drill the engine dispatched through the front door (one already running: nothing starts). */
  async runScheduled(due: Due): Promise<DrillRecord | null> {
    const policy = this.policy();
    if (policy === null || this.policyRuns.active !== undefined) return null;
    return this.execute(policy, due.trigger, {});
  }

  cancelRunning(): boolean {
    return this.policyRuns.cancel();
  }

  onEvent(listener: (event: DrillSchedulerEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  private emit(event: DrillSchedulerEvent): void {
    this.emitter.emit('event', event);
  }

  private enginePolicy(): RecurringPolicy<RecurringSchedule> {
    return {
      name: POLICY,
      windowName: 'drill window',
      schedules: () => {
        const policy = this.policy();
        if (policy === null) return [];
        return [{ id: SCHEDULE_ID, cron: policy.cron, timezone: policy.timezone ?? hostTimeZone(), window: null, enabled: policy.enabled, updatedAt: Date.parse(policy.updatedAt) }];
      },
      catchUp: () => ({ kind: 'always' }),
      lastDueAt: () => {
        const newest = listDrills(this.db, 1)[0];
        return newest === undefined ? undefined : Date.parse(newest.startedAt);
      },
      running: () => (this.policyRuns.active === undefined ? null : SCHEDULE_ID),
      // A drill still running when the next one is due: the due one is simply not started (no pile-up),
      // and nothing is recorded, as the drill history lists drills that ran.
      recordNotRun: () => undefined,
      start: async (_schedule, due) => {
        if (this.options.dispatch !== undefined) await this.options.dispatch(due);
        else await this.runScheduled(due);
      },
    };
  }

  private execute(policy: DrillPolicy | null, trigger: DrillTrigger, overrides: DrillOverrides): Promise<DrillRecord> {
    const startedAt = this.clock.now();
    const targets = {
      rtoTargetMs: policy?.rtoTargetMinutes == null ? null : policy.rtoTargetMinutes * 60_000,
      rpoTargetMs: policy?.rpoTargetMinutes == null ? null : policy.rpoTargetMinutes * 60_000,
    };
    const id = insertDrill(this.db, trigger, startedAt, targets);
    this.runningSince = startedAt;
    return this.policyRuns.run(
      SCHEDULE_ID,
      async (run) => {
        this.emit({ type: 'drill-started', drill: drillById(this.db, id)! });
        try {
          const keys = overrides.keys ?? (policy === null ? {} : (this.options.readKeys ?? defaultReadKeys)(policy.key));
          const backupsDir = overrides.backupsDir ?? policy!.backupsDir;
          const scratchDir = overrides.scratchDir ?? policy?.scratchDir ?? undefined;
          const report = await this.options.runner(
            // The store's trusted key, when it has one: a drill refuses what a restore would refuse.
            { storeDir: this.options.store.dir, backupsDir, keys, scratchDir, trustedKey: overrides.trustedKey ?? trustedKeyInput(this.db), ...targets },
            {
              signal: run.signal,
              onProgress: (progress) => {
                run.progress = progress;
                this.emit({ type: 'drill-progress', drillId: id, progress });
              },
            },
          );
          finishDrill(this.db, id, this.clock.now(), 'succeeded', { report });
        } catch (error) {
          const info = toErrorInfo(error);
          finishDrill(this.db, id, this.clock.now(), info.code === 'CANCELLED' ? 'cancelled' : 'failed', { error: info });
        }
        return drillById(this.db, id)!;
      },
      (drill) => {
        this.emit({ type: 'drill-finished', drill });
        return drill;
      },
    );
  }
}
