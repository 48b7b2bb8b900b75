import type { Clock } from '../clock.js';
import { decideAtStart, type CatchUpRule } from './catchUp.js';
import { compileCron, nextRunAfter } from './cron.js';
import { describeWindow, isInWindow, type TimeWindow } from './window.js';

// The one recurring-job engine (DESIGN §2): backups, drills and, later, maintenance and archive
// re-verification are policies of it, not schedulers of their own. It holds one timer for all of them.

export type RecurringTrigger = 'schedule' | 'catch-up';

/** When a run of a schedule came due, and why. */
export interface Due {
  readonly at: number;
  readonly trigger: RecurringTrigger;
}

/** What the engine needs to know of a schedule; the policy's own schedules carry more. */
export interface RecurringSchedule {
  /** Unique within its policy. */
  readonly id: string;
  readonly cron: string;
  /** IANA time zone of the cron expression and the window; null: the host's. */
  readonly timezone: string;
  /** Runs start only inside it; null: any time. */
  readonly window: TimeWindow | null;
  readonly enabled: boolean;
  /** Occurrences before this (the schedule's creation or last change, in ms) were never due. */
  readonly updatedAt: number;
}

/**
 * One kind of recurring work. The engine decides when a run is due and whether it may start; the policy
 * keeps the schedules and the history, and runs the work (through the API pipeline, in the console).
 */
export interface RecurringPolicy<S extends RecurringSchedule = RecurringSchedule> {
  /** e.g. `backup`, `drill`: names the policy in status and in errors. */
  readonly name: string;
  /** How notes name the schedules' window, e.g. `backup window`. */
  readonly windowName: string;
  schedules(): readonly S[];
  /** What a run missed while the app was closed does at start. */
  catchUp(schedule: S): CatchUpRule;
  /** The newest due time the history records for the schedule (a run, a miss or a skip). */
  lastDueAt(schedule: S): number | undefined;
  /** The schedule whose run is going, if any: one run of a policy at a time. */
  running(): string | null;
  /** Records a due run that did not start: `missed` (the app was closed) or `skipped` (outside the window, or overlap). */
  recordNotRun(schedule: S, due: Due, outcome: 'missed' | 'skipped', note: string, now: number): void;
  /** Starts a due run; resolves when it has ended, however it ended (the policy records the outcome). */
  start(schedule: S, due: Due): Promise<void>;
}

export interface PendingRun {
  readonly scheduleId: string;
  readonly at: string;
  readonly trigger: RecurringTrigger;
}

interface PolicyState {
  readonly policy: RecurringPolicy;
  /** The next due run of each enabled schedule. */
  readonly pending: Map<string, Due>;
  /** Due runs of other schedules that came while one ran: they start, in order, when it ends. */
  readonly queued: Array<{ readonly scheduleId: string; readonly due: Due }>;
  /** Set from the moment the engine starts a run until it ends (the policy may not know yet). */
  starting: string | null;
}

/** Timers are re-armed at least this often, so a suspended machine or a changed clock is noticed. */
const MAX_SLEEP_MS = 60 * 60_000;
/** A window that never meets the cron's times: give up looking after this far ahead. */
const LOOKAHEAD_MS = 400 * 86_400_000;

export class RecurringJobs {
  private readonly policies = new Map<string, PolicyState>();
  private timer: unknown;
  private started = false;

  constructor(private readonly clock: Clock) {}

  register<S extends RecurringSchedule>(policy: RecurringPolicy<S>): void {
    if (this.policies.has(policy.name)) throw new Error(`the recurring policy ${policy.name} is registered twice`);
    this.policies.set(policy.name, { policy, pending: new Map(), queued: [], starting: null });
  }

  /** Plans every enabled schedule: a run missed while the app was closed is caught up or recorded as missed. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.clock.now();
    for (const state of this.policies.values()) for (const s of state.policy.schedules()) if (s.enabled) this.planAtStart(state, s, now);
    this.arm();
  }

  /** Stops the timer; runs already going are their policy's to cancel. */
  stop(): void {
    this.started = false;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    for (const state of this.policies.values()) {
      state.pending.clear();
      state.queued.length = 0;
    }
  }

  get isStarted(): boolean {
    return this.started;
  }

  /**
   * A policy's schedules changed (added, edited, removed): their next runs follow the new definitions. The
   * schedule named, if any, was saved: a catch-up planned for it is dropped for its next occurrence.
   */
  schedulesChanged(policyName: string, savedId?: string): void {
    const state = this.state(policyName);
    if (!this.started) return;
    const now = this.clock.now();
    const schedules = new Map(state.policy.schedules().map((s) => [s.id, s]));
    for (const id of [...state.pending.keys()]) if (!schedules.get(id)?.enabled) state.pending.delete(id);
    for (const s of schedules.values()) {
      if (!s.enabled) continue;
      const current = state.pending.get(s.id);
      // A catch-up already planned stays; everything else waits for the next occurrence of the new cron.
      if (current?.trigger !== 'catch-up' || s.id === savedId) state.pending.set(s.id, { at: this.nextOccurrence(s, now) ?? Infinity, trigger: 'schedule' });
    }
    this.arm();
  }

  /** The next due runs of a policy, soonest first. */
  pending(policyName: string): PendingRun[] {
    return [...this.state(policyName).pending]
      .filter(([, due]) => Number.isFinite(due.at))
      .sort(([, a], [, b]) => a.at - b.at)
      .map(([scheduleId, due]) => ({ scheduleId, at: new Date(due.at).toISOString(), trigger: due.trigger }));
  }

  /** The next times a schedule may start (cron occurrences inside its window), for the UI. */
  nextStarts(schedule: RecurringSchedule, count: number): number[] {
    const cron = compileCron(schedule.cron, schedule.timezone);
    const now = this.clock.now();
    const out: number[] = [];
    let after = now;
    while (out.length < count) {
      const at = nextRunAfter(cron, after);
      if (at === undefined || at - now > LOOKAHEAD_MS) break;
      if (isInWindow(at, schedule.window, schedule.timezone)) out.push(at);
      after = at;
    }
    return out;
  }

  /** A run of the policy ended (also one started by hand): a run queued behind it starts now. */
  runEnded(policyName: string): void {
    const state = this.state(policyName);
    if (!this.started || state.starting !== null || state.policy.running() !== null) return;
    const next = state.queued.shift();
    if (next === undefined) return;
    const schedule = state.policy.schedules().find((s) => s.id === next.scheduleId);
    if (schedule !== undefined && schedule.enabled) this.fire(state, schedule, next.due, this.clock.now());
    else this.runEnded(policyName);
  }

  private state(policyName: string): PolicyState {
    const state = this.policies.get(policyName);
    if (state === undefined) throw new Error(`no recurring policy ${policyName}`);
    return state;
  }

  private nextOccurrence(schedule: RecurringSchedule, afterMs: number): number | undefined {
    return nextRunAfter(compileCron(schedule.cron, schedule.timezone), afterMs);
  }

  private planAtStart(state: PolicyState, schedule: RecurringSchedule, now: number): void {
    const decision = decideAtStart({
      cron: schedule.cron,
      timezone: schedule.timezone,
      window: schedule.window,
      rule: state.policy.catchUp(schedule),
      windowName: state.policy.windowName,
      now,
      lastDueAt: state.policy.lastDueAt(schedule),
      updatedAt: schedule.updatedAt,
    });
    if (decision.kind === 'catch-up') {
      state.pending.set(schedule.id, { at: decision.at, trigger: 'catch-up' });
      return;
    }
    state.pending.set(schedule.id, { at: decision.next ?? Infinity, trigger: 'schedule' });
    if (decision.kind === 'missed') state.policy.recordNotRun(schedule, { at: decision.dueAt, trigger: 'schedule' }, 'missed', decision.note, now);
  }

  private arm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    if (!this.started) return;
    let soonest = Infinity;
    for (const state of this.policies.values()) for (const due of state.pending.values()) soonest = Math.min(soonest, due.at);
    if (!Number.isFinite(soonest)) return;
    const delay = Math.max(0, Math.min(soonest - this.clock.now(), MAX_SLEEP_MS));
    this.timer = this.clock.setTimer(() => this.tick(), delay);
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.started) return;
    const now = this.clock.now();
    for (const state of this.policies.values()) {
      const schedules = new Map(state.policy.schedules().map((s) => [s.id, s]));
      const due = [...state.pending].filter(([, d]) => d.at <= now).sort(([, a], [, b]) => a.at - b.at);
      for (const [id, d] of due) {
        const schedule = schedules.get(id);
        if (schedule === undefined || !schedule.enabled) {
          state.pending.delete(id);
          continue;
        }
        state.pending.set(id, { at: this.nextOccurrence(schedule, now) ?? Infinity, trigger: 'schedule' });
        this.fire(state, schedule, d, now);
      }
    }
    this.arm();
  }

  /**
   * A due run starts now, unless it is outside the window (recorded as skipped), its own schedule's previous
   * run is still going (skipped: runs never pile up), or another schedule's run is going (then it waits for
   * that one to end: one run of a policy at a time).
   */
  private fire(state: PolicyState, schedule: RecurringSchedule, due: Due, now: number): void {
    const { policy } = state;
    if (!isInWindow(now, schedule.window, schedule.timezone)) {
      policy.recordNotRun(schedule, due, 'skipped', `outside the ${policy.windowName} ${describeWindow(schedule.window!)}`, now);
      return;
    }
    const running = state.starting ?? policy.running();
    if (running !== null) {
      if (running === schedule.id || state.queued.some((q) => q.scheduleId === schedule.id)) {
        policy.recordNotRun(schedule, due, 'skipped', 'the previous run of this schedule was still running', now);
        return;
      }
      state.queued.push({ scheduleId: schedule.id, due });
      return;
    }
    state.starting = schedule.id;
    void policy
      .start(schedule, due)
      .catch((error: unknown) => process.stderr.write(`the ${policy.name} run of ${schedule.id} could not start: ${(error as Error).message}\n`))
      .finally(() => {
        state.starting = null;
        this.runEnded(policy.name);
      });
  }
}
