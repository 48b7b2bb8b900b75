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
import { readDecryptionKeyFiles, type DecryptionKeyInput } from '../backup/index.js';
import { hostTimeZone, systemClock, type SchedulerClock } from '../platform/index.js';
import { checkTimeZone, compileCron, nextRunAfter, previousRunAtOrBefore } from '../platform/index.js';
import type { WritableDB } from '../platform/index.js';
import { deleteDrillPolicy, drillById, finishDrill, insertDrill, lastDrills, listDrills, markInterruptedDrills, readDrillPolicy, writeDrillPolicy } from './drillRepository.js';
import { drillWarning } from './drillWarning.js';
import type { DrillRequest } from './runDrill.js';

/** Runs one drill; the default runs it in a worker thread (runJob('recoveryDrill')), tests pass fakes. */
export type DrillRunner = (request: DrillRequest, options: { readonly signal: AbortSignal; readonly onProgress: (p: RecoveryProgress) => void }) => Promise<DrillReport>;

export interface DrillSchedulerOptions {
  /** The store whose drills these are: its folder, and its writer connection for the settings and history. */
  readonly store: { readonly dir: string; readonly db: WritableDB };
  readonly runner: DrillRunner;
  readonly clock?: SchedulerClock;
  /** Reads the key a policy names (default: the passphrase or identity file). */
  readonly readKeys?: (source: DrillKeySource) => DecryptionKeyInput;
}

export type DrillSchedulerEvent =
  | { readonly type: 'drill-started'; readonly drill: DrillRecord }
  | { readonly type: 'drill-progress'; readonly drillId: number; readonly progress: RecoveryProgress }
  | { readonly type: 'drill-finished'; readonly drill: DrillRecord }
  | { readonly type: 'policy-changed' };

interface Running {
  readonly id: number;
  readonly startedAt: number;
  readonly controller: AbortController;
  progress: RecoveryProgress | null;
  done: Promise<DrillRecord>;
}

/** Timers are re-armed at least this often, so a suspended machine or a changed clock is noticed. */
const MAX_SLEEP_MS = 60 * 60_000;

export function defaultReadKeys(source: DrillKeySource): DecryptionKeyInput {
  if (source.kind === 'passphrase-file') return readDecryptionKeyFiles({ passphraseFile: source.path });
  if (source.kind === 'identity-file') return readDecryptionKeyFiles({ identityFile: source.path });
  return {};
}

/**
 * Runs a store's recovery drills on its policy (issue 5 item 2): a cron expression in the policy's time zone,
 * one drill at a time, every drill recorded in events.db with the RTO and RPO it achieved against the
 * policy's targets; a drill that came due while the app was closed runs at start. `status()` carries the
 * warning Overview shows (last drill failed, older than the policy allows, never run, targets missed).
 * It holds one timer and no threads of its own: drills run through `runner`.
 */
export class DrillScheduler {
  private readonly clock: SchedulerClock;
  private readonly emitter = new EventEmitter();
  private timer: unknown;
  private started = false;
  private next: { at: number; trigger: DrillTrigger } | null = null;
  private current: Running | undefined;

  constructor(private readonly options: DrillSchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.emitter.setMaxListeners(0);
  }

  private get db(): WritableDB {
    return this.options.store.db;
  }

  /** Records drills a stopped process left running, catches up a drill missed while closed, arms the timer. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.clock.now();
    markInterruptedDrills(this.db, now);
    const policy = this.policy();
    if (policy !== null && policy.enabled) {
      const cron = compileCron(policy.cron, policy.timezone ?? hostTimeZone());
      const due = previousRunAtOrBefore(cron, now);
      const newest = listDrills(this.db, 1)[0];
      const since = Math.max(Date.parse(policy.updatedAt), newest === undefined ? 0 : Date.parse(newest.startedAt));
      this.next = due !== undefined && due > since ? { at: now, trigger: 'catch-up' } : this.scheduled(policy, now);
    }
    this.arm();
  }

  /** Stops the timer, cancels a running drill and waits for it to be recorded. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.next = null;
    if (this.current !== undefined) {
      this.current.controller.abort();
      await this.current.done.catch(() => undefined);
    }
  }

  policy(): DrillPolicy | null {
    return readDrillPolicy(this.db);
  }

  /** Checks (cron, time zone, absolute paths) and stores the policy; the next drill follows it. */
  savePolicy(input: DrillPolicyInput): DrillPolicy {
    const parsed = drillPolicyInputSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ConsoleError('INVALID_INPUT', `${issue.path.join('.') || 'policy'}: ${issue.message}`);
    }
    const policy = parsed.data;
    const timezone = policy.timezone ?? hostTimeZone();
    checkTimeZone(timezone);
    compileCron(policy.cron, timezone);
    for (const [what, path] of [
      ['backupsDir', policy.backupsDir],
      ['key.path', policy.key.kind === 'none' ? undefined : policy.key.path],
      ['scratchDir', policy.scratchDir ?? undefined],
    ] as const) {
      if (path !== undefined && !isAbsolute(path)) throw new ConsoleError('INVALID_INPUT', `${what} must be an absolute path, got ${path}`);
    }
    const saved = writeDrillPolicy(this.db, policy, this.clock.now());
    this.next = this.started && saved.enabled ? this.scheduled(saved, this.clock.now()) : null;
    this.emit({ type: 'policy-changed' });
    this.arm();
    return saved;
  }

  deletePolicy(): boolean {
    const deleted = deleteDrillPolicy(this.db);
    this.next = null;
    this.arm();
    if (deleted) this.emit({ type: 'policy-changed' });
    return deleted;
  }

  history(limit = 100): DrillRecord[] {
    return listDrills(this.db, limit);
  }

  status(): DrillStatus {
    const policy = this.policy();
    const { last, lastSuccess } = lastDrills(this.db);
    return {
      policy,
      started: this.started,
      running: this.current === undefined ? null : { startedAt: new Date(this.current.startedAt).toISOString(), progress: this.current.progress },
      next: this.next === null ? null : { at: new Date(this.next.at).toISOString(), trigger: this.next.trigger },
      last,
      lastSuccess,
      warning: drillWarning(policy, last, lastSuccess, this.clock.now()),
    };
  }

  /** Runs a drill now with the policy's folder and key; BUSY while one runs, NOT_FOUND without a policy. */
  async runNow(): Promise<DrillRecord> {
    const policy = this.policy();
    if (policy === null) throw new ConsoleError('NOT_FOUND', 'this store has no drill policy: set one (backups folder, key, schedule) first');
    if (this.current !== undefined) throw new ConsoleError('BUSY', 'a recovery drill is already running for this store: wait for it to finish');
    return this.execute(policy, 'manual');
  }

  cancelRunning(): boolean {
    if (this.current === undefined) return false;
    this.current.controller.abort();
    return true;
  }

  onEvent(listener: (event: DrillSchedulerEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  private emit(event: DrillSchedulerEvent): void {
    this.emitter.emit('event', event);
  }

  private scheduled(policy: DrillPolicy, after: number): { at: number; trigger: DrillTrigger } | null {
    const at = nextRunAfter(compileCron(policy.cron, policy.timezone ?? hostTimeZone()), after);
    return at === undefined ? null : { at, trigger: 'schedule' };
  }

  private arm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    if (!this.started || this.next === null) return;
    const delay = Math.max(0, Math.min(this.next.at - this.clock.now(), MAX_SLEEP_MS));
    this.timer = this.clock.setTimer(() => this.tick(), delay);
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.started) return;
    const now = this.clock.now();
    const policy = this.policy();
    if (policy === null || !policy.enabled) {
      this.next = null;
      return;
    }
    if (this.next !== null && this.next.at <= now) {
      const trigger = this.next.trigger;
      this.next = this.scheduled(policy, now);
      // A drill still running when the next one is due: the due one is simply not started (no pile-up).
      if (this.current === undefined) this.execute(policy, trigger).catch(() => undefined);
    }
    this.arm();
  }

  private execute(policy: DrillPolicy, trigger: DrillTrigger): Promise<DrillRecord> {
    const startedAt = this.clock.now();
    const targets = {
      rtoTargetMs: policy.rtoTargetMinutes === null ? null : policy.rtoTargetMinutes * 60_000,
      rpoTargetMs: policy.rpoTargetMinutes === null ? null : policy.rpoTargetMinutes * 60_000,
    };
    const id = insertDrill(this.db, trigger, startedAt, targets);
    const controller = new AbortController();
    const running: Running = { id, startedAt, controller, progress: null, done: Promise.resolve(undefined as unknown as DrillRecord) };
    this.current = running;
    running.done = (async (): Promise<DrillRecord> => {
      await Promise.resolve();
      this.emit({ type: 'drill-started', drill: drillById(this.db, id)! });
      try {
        const keys = (this.options.readKeys ?? defaultReadKeys)(policy.key);
        const report = await this.options.runner(
          { storeDir: this.options.store.dir, backupsDir: policy.backupsDir, keys, scratchDir: policy.scratchDir ?? undefined, ...targets },
          {
            signal: controller.signal,
            onProgress: (progress) => {
              running.progress = progress;
              this.emit({ type: 'drill-progress', drillId: id, progress });
            },
          },
        );
        finishDrill(this.db, id, this.clock.now(), 'succeeded', { report });
      } catch (error) {
        const info = toErrorInfo(error);
        finishDrill(this.db, id, this.clock.now(), info.code === 'CANCELLED' ? 'cancelled' : 'failed', { error: info });
      } finally {
        if (this.current === running) this.current = undefined;
      }
      const drill = drillById(this.db, id)!;
      this.emit({ type: 'drill-finished', drill });
      return drill;
    })();
    return running.done;
  }
}
