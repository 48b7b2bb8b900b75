import type { JobInfo } from '../../../../../shared/jobs.js';
import type { RecoveryReport, RecoveryTarget, ValidationReport } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { formatDuration } from '../../../format/time.js';
import { isRecoveryReport, isValidationReport } from '../../../jobs/recoveryResults.js';
import { phaseLabel } from '../labels.js';
import type { SourceChoice, StepState, StepView, WizardRun, WizardStepId } from './model.js';

/**
 * Where the recovery wizard stands (pure): from what the admin chose and what the jobs answered, the state
 * and summary of each step, and the step on screen. RecoveryWizard.tsx holds the choices and starts the jobs.
 */

/** The jobs the wizard starts; each result holds only for the choices it ran with. */
export type RunKind = 'validate' | 'dryRun' | 'restore';

/** The choices a run's result depends on, as one comparable text: a run for other choices is stale. */
export function requestKey(choice: { readonly sources: readonly string[] | null | undefined; readonly target: RecoveryTarget; readonly keySource: string | undefined; readonly keyVersion: number }): string {
  return JSON.stringify({ sources: choice.sources ?? null, target: choice.target, key: choice.keySource ?? null, keyVersion: choice.keyVersion });
}

export function targetSummary(target: RecoveryTarget, stopsAt: number | null): string {
  const stop = stopsAt === null ? '' : ` → #${formatCount(stopsAt)}`;
  if (target.kind === 'latest') return `latest${stop}`;
  if (target.kind === 'position') return `position ${formatCount(target.position)}`;
  return `time${stop}`;
}

export interface WizardFacts {
  readonly source: SourceChoice;
  /** What the sources hold, once read: how many archives, and whether a chain restores anything. */
  readonly found: { readonly archives: number; readonly restorable: boolean } | undefined;
  /** The sources cannot be used (paths not usable yet, nothing restorable in them, or they could not be read). */
  readonly sourceUnusable: boolean;
  readonly keyNeeded: boolean;
  readonly keyGiven: boolean;
  readonly target: RecoveryTarget;
  readonly plan: { readonly position: number | null } | undefined;
  readonly planFailed: boolean;
  /** The current choices (requestKey). */
  readonly request: string;
  readonly runs: Partial<Record<RunKind, WizardRun>>;
  /** The job of each run, for the current choices (the restore's whatever they are: it cannot be undone). */
  readonly jobs: Readonly<Record<RunKind, JobInfo | undefined>>;
  readonly storeName: string | undefined;
}

/** The results that hold: each job's, when it succeeded. */
export interface WizardResults {
  readonly validation: ValidationReport | undefined;
  readonly dryRun: RecoveryReport | undefined;
  readonly restored: RecoveryReport | undefined;
  /** A restore started and not ended in failure: the choices before it can no longer change. */
  readonly committed: boolean;
}

export function wizardResults(runs: WizardFacts['runs'], jobs: WizardFacts['jobs']): WizardResults {
  const { validate, dryRun, restore } = jobs;
  return {
    validation: validate?.state === 'succeeded' && isValidationReport(validate.result) ? validate.result : undefined,
    dryRun: dryRun?.state === 'succeeded' && isRecoveryReport(dryRun.result) ? dryRun.result : undefined,
    restored: restore?.state === 'succeeded' && isRecoveryReport(restore.result) ? restore.result : undefined,
    committed: runs.restore !== undefined && restore?.state !== 'failed' && restore?.state !== 'cancelled',
  };
}

const ended = (job: JobInfo | undefined) => job?.state === 'failed' || job?.state === 'cancelled';

/** A job step: open until it ran, stale when it ran for other choices, failed, or done once its result is good. */
function runState(facts: WizardFacts, kind: RunKind, ok: boolean | undefined): StepState {
  const run = facts.runs[kind];
  if (run === undefined) return 'open';
  if (run.request !== facts.request) return 'stale';
  if (ended(facts.jobs[kind]) || ok === false) return 'failed';
  return ok === true ? 'done' : 'open';
}

const lockedIf = (locked: boolean, state: StepState): StepState => (locked ? 'locked' : state);

/** Every step's state and summary, as the step list shows them. */
export function wizardSteps(facts: WizardFacts, results: WizardResults = wizardResults(facts.runs, facts.jobs)): Record<WizardStepId, StepView> {
  const { found, plan } = facts;
  const { validation, dryRun, restored, committed } = results;
  const restoreJob = facts.jobs.restore;
  return {
    source: {
      state: lockedIf(committed, found?.restorable === true ? 'done' : 'open'),
      summary: `${facts.source.kind === 'catalog' ? 'catalog' : 'files'}${found === undefined ? '' : ` · ${formatCount(found.archives)} archives`}${facts.keyNeeded ? (facts.keyGiven ? ' · key given' : ' · key needed') : ''}`,
    },
    target: { state: lockedIf(committed || facts.sourceUnusable, facts.planFailed ? 'failed' : plan !== undefined ? 'done' : 'open'), summary: targetSummary(facts.target, plan?.position ?? null) },
    validate: {
      state: lockedIf(committed || plan === undefined, runState(facts, 'validate', validation?.ok)),
      summary: validation === undefined ? null : validation.ok ? `${formatCount(validation.archives.length)} archives ok` : `${formatCount(validation.archives.filter((a) => !a.ok).length)} failed`,
    },
    'dry-run': {
      state: lockedIf(committed || validation?.ok !== true, runState(facts, 'dryRun', dryRun === undefined ? undefined : true)),
      summary: dryRun === undefined ? null : `keeps ${formatCount(dryRun.events)}${dryRun.leftOut.available ? ` · loses ${formatCount(dryRun.leftOut.events)}` : ''}`,
    },
    confirm: { state: lockedIf(committed || dryRun === undefined, 'open'), summary: facts.storeName === undefined ? null : `type ${facts.storeName}` },
    restore: {
      state: facts.runs.restore === undefined ? 'locked' : restored !== undefined ? 'done' : ended(restoreJob) ? 'failed' : 'open',
      summary: restoreJob === undefined ? null : restoreJob.state === 'running' ? phaseLabel(restoreJob.progress?.phase ?? 'starting') : restoreJob.state,
    },
    report: { state: restored === undefined ? 'locked' : 'done', summary: restored === undefined ? null : `RTO ${formatDuration(restored.rtoMs)}` },
  };
}

/**
 * The step on screen: the one asked for, unless it is locked (then the restore once one is under way, else
 * the first step); it shows as `current` unless its own state says more (done, failed).
 */
export function currentStep(asked: WizardStepId, steps: Readonly<Record<WizardStepId, StepView>>, committed: boolean): { readonly current: WizardStepId; readonly steps: Record<WizardStepId, StepView> } {
  const current: WizardStepId = steps[asked].state === 'locked' && asked !== 'restore' ? (committed ? 'restore' : 'source') : asked;
  const view = steps[current];
  return { current, steps: { ...steps, [current]: { ...view, state: view.state === 'done' || view.state === 'failed' ? view.state : 'current' } } };
}
