import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { InputOf } from '../../../../../shared/api/contract.js';
import type { RecoveryTarget } from '../../../../../shared/recovery.js';
import { useApiMutation, useApiQuery } from '../../../api/hooks.js';
import { pageHref } from '../../../app/routes.js';
import { useStoreProblem } from '../../../app/storeState.js';
import { formatCount } from '../../../format/numbers.js';
import { formatDuration } from '../../../format/time.js';
import { useJobById } from '../../../jobs/JobsProvider.js';
import { isRecoveryReport, isValidationReport } from '../../../jobs/recoveryResults.js';
import { describeError } from '../../../ui/errors.js';
import { useDebounced } from '../../../ui/useDebounced.js';
import { keySourcesFor, keysOf, type KeySource } from '../../backups/form/DecryptionKeyField.js';
import { baseName } from '../../backups/labels.js';
import { phaseLabel } from '../labels.js';
import { RecoveryReportView } from '../report/RecoveryReportView.js';
import { CatalogFromSources } from './CatalogFromSources.js';
import { ConfirmStep } from './ConfirmStep.js';
import { DryRunStep } from './DryRunStep.js';
import { sourcesOf, type SourceChoice, type StepState, type WizardRun, type WizardStepId } from './model.js';
import { RestoreStep } from './RestoreStep.js';
import { SourceStep } from './SourceStep.js';
import { StepList, type StepView } from './StepList.js';
import { TargetStep } from './TargetStep.js';
import { ValidationStep } from './ValidationStep.js';

type RunKind = 'validate' | 'dryRun' | 'restore';
type RunInput = InputOf<'recovery.validate'>;

function targetSummary(target: RecoveryTarget, stopsAt: number | null): string {
  const stop = stopsAt === null ? '' : ` → #${formatCount(stopsAt)}`;
  if (target.kind === 'latest') return `latest${stop}`;
  if (target.kind === 'position') return `position ${formatCount(target.position)}`;
  return `time${stop}`;
}

/**
 * The recovery wizard (issue 5 item 3): source → target → validation → dry run → confirmation → restore →
 * report, with the step list always in view. Each job's result holds for the choices it ran with (source,
 * target, key): changing one makes the later steps run again. The key stays in this component's state.
 */
export function RecoveryWizard({ initialPosition, onRestart }: { readonly initialPosition: number | null; readonly onRestart: () => void }) {
  const queryClient = useQueryClient();
  const session = useApiQuery('session.info', {}, { staleTime: Infinity });
  const storeName = session.data?.storeName;
  /** Set while the store cannot be opened: its events cannot be shown or compared, only restored over. */
  const storeProblem = useStoreProblem();
  const [step, setStep] = useState<WizardStepId>(initialPosition === null ? 'source' : 'target');
  const [source, setSource] = useState<SourceChoice>({ kind: 'catalog' });
  const [keySource, setKeySource] = useState<KeySource | undefined>(undefined);
  const [secret, setSecret] = useState('');
  /** Bumped when the key changes: results obtained with another key no longer hold. */
  const [keyVersion, setKeyVersion] = useState(0);
  const [target, setTarget] = useState<RecoveryTarget>(initialPosition === null ? { kind: 'latest' } : { kind: 'position', position: initialPosition });
  const [runs, setRuns] = useState<Partial<Record<RunKind, WizardRun>>>({});
  const [reportShown, setReportShown] = useState(false);
  /** Why the catalog could not be used (NOT_FOUND: no backup folder of the store could be read), once the wizard moved on to paths. */
  const [catalogRefused, setCatalogRefused] = useState<string | null>(null);
  /** The restore started while the store could not be opened: the report says it opens again. */
  const [restoredUnopenable, setRestoredUnopenable] = useState(false);

  // Typed paths are read once typing pauses, not at every key.
  const settledSource = useDebounced(source, 400);
  const sources = sourcesOf(settledSource);
  const sourceInput = sources === null ? null : sources === undefined ? {} : { sources: [...sources] };
  const found = useApiQuery('recovery.sources', sourceInput ?? {}, { enabled: sourceInput !== null });
  const plan = useApiQuery('recovery.plan', { ...sourceInput, target }, { enabled: sourceInput !== null && step !== 'source' });
  const foundData = sourceInput === null ? undefined : found.data;

  // The catalog comes from the store's backup folders; a store that cannot be read has none to give
  // (NOT_FOUND, naming what to do): the wizard switches to paths, once, with the reason in view.
  const catalogError = source.kind === 'catalog' && settledSource.kind === 'catalog' ? found.error : null;
  if (catalogError !== null && catalogRefused === null && describeError(catalogError).code === 'NOT_FOUND') {
    setCatalogRefused(describeError(catalogError).message);
    setSource({ kind: 'paths', text: '' });
  }
  const planData = sourceInput === null ? undefined : plan.data;

  const encryption = foundData?.entries.filter((e) => e.manifest.storeId === foundData.storeId).map((e) => e.manifest.encryption) ?? [];
  const keySources = keySourcesFor(encryption);
  const chosenKeySource = keySource !== undefined && keySources.includes(keySource) ? keySource : keySources[0];
  const runInput: RunInput = { ...sourceInput, target, keys: keysOf(chosenKeySource, secret) };
  const request = JSON.stringify({ sources: sources ?? null, target, key: chosenKeySource ?? null, keyVersion });

  const validate = useApiMutation('recovery.validate');
  const dryRun = useApiMutation('recovery.dryRun');
  const restore = useApiMutation('recovery.restore');
  const currentRun = (kind: RunKind) => (runs[kind]?.request === request ? runs[kind] : undefined);
  const validateJob = useJobById(currentRun('validate')?.jobId);
  const dryRunJob = useJobById(currentRun('dryRun')?.jobId);
  const restoreJob = useJobById(runs.restore?.jobId);
  const validation = validateJob?.state === 'succeeded' && isValidationReport(validateJob.result) ? validateJob.result : undefined;
  const dryRunReport = dryRunJob?.state === 'succeeded' && isRecoveryReport(dryRunJob.result) ? dryRunJob.result : undefined;
  const restored = restoreJob?.state === 'succeeded' && isRecoveryReport(restoreJob.result) ? restoreJob.result : undefined;
  /** A restore started and not ended in failure: the choices before it can no longer change. */
  const committed = runs.restore !== undefined && restoreJob?.state !== 'failed' && restoreJob?.state !== 'cancelled';

  // The report replaces the progress once the restore has succeeded (once: the admin may look back).
  if (restored !== undefined && !reportShown) {
    setReportShown(true);
    setStep('report');
  }
  // Another store is open now (also one that could not be opened before): re-read everything, session.info
  // first among them, so every page leaves "cannot be opened" and shows the restored store. The jobs list
  // does the same when it hears of the end; this covers a restore whose end it missed.
  const restoredJobId = restored === undefined ? undefined : runs.restore?.jobId;
  useEffect(() => {
    if (restoredJobId === undefined) return;
    void queryClient.invalidateQueries();
  }, [restoredJobId, queryClient]);

  const start = (kind: RunKind, mutation: typeof validate, next: WizardStepId) => {
    setStep(next);
    const forRequest = request;
    mutation.mutate(runInput, { onSuccess: ({ jobId }) => setRuns((r) => ({ ...r, [kind]: { jobId, request: forRequest } })) });
  };
  const startRestore = () => {
    if (storeName === undefined) return;
    const forRequest = request;
    setRestoredUnopenable(storeProblem !== null);
    restore.mutate(
      { ...runInput, confirmStoreName: storeName },
      {
        onSuccess: ({ jobId }) => {
          setRuns((r) => ({ ...r, restore: { jobId, request: forRequest } }));
          setStep('restore');
        },
      },
    );
  };

  const jobState = (kind: RunKind, ok: boolean | undefined): StepState => {
    const run = runs[kind];
    if (run === undefined) return 'open';
    if (run.request !== request) return 'stale';
    const job = kind === 'validate' ? validateJob : kind === 'dryRun' ? dryRunJob : restoreJob;
    if (job?.state === 'failed' || job?.state === 'cancelled' || ok === false) return 'failed';
    return ok === true ? 'done' : 'open';
  };
  const restorable = foundData?.chains.some((c) => c.restorableTo > 0) ?? false;
  // Unusable once known (while the archives are being read, a target handed in by a link stays in view).
  const sourceUnusable = sourceInput === null || (foundData !== undefined && !restorable) || found.error !== null;
  const lockedIf = (locked: boolean, state: StepState): StepState => (locked ? 'locked' : state);
  const steps: Record<WizardStepId, StepView> = {
    source: {
      state: lockedIf(committed, restorable ? 'done' : 'open'),
      summary: `${source.kind === 'catalog' ? 'catalog' : 'files'}${foundData === undefined ? '' : ` · ${formatCount(foundData.entries.length)} archives`}${keySources.length > 0 ? (secret === '' ? ' · key needed' : ' · key given') : ''}`,
    },
    target: { state: lockedIf(committed || sourceUnusable, plan.error !== null ? 'failed' : planData !== undefined ? 'done' : 'open'), summary: targetSummary(target, planData?.position ?? null) },
    validate: {
      state: lockedIf(committed || planData === undefined, jobState('validate', validation?.ok)),
      summary: validation === undefined ? null : validation.ok ? `${formatCount(validation.archives.length)} archives ok` : `${formatCount(validation.archives.filter((a) => !a.ok).length)} failed`,
    },
    'dry-run': {
      state: lockedIf(committed || validation?.ok !== true, jobState('dryRun', dryRunReport === undefined ? undefined : true)),
      summary: dryRunReport === undefined ? null : `keeps ${formatCount(dryRunReport.events)}${dryRunReport.leftOut.available ? ` · loses ${formatCount(dryRunReport.leftOut.events)}` : ''}`,
    },
    confirm: { state: lockedIf(committed || dryRunReport === undefined, 'open'), summary: storeName === undefined ? null : `type ${storeName}` },
    restore: {
      state: runs.restore === undefined ? 'locked' : restored !== undefined ? 'done' : restoreJob?.state === 'failed' || restoreJob?.state === 'cancelled' ? 'failed' : 'open',
      summary: restoreJob === undefined ? null : restoreJob.state === 'running' ? phaseLabel(restoreJob.progress?.phase ?? 'starting') : restoreJob.state,
    },
    report: { state: restored === undefined ? 'locked' : 'done', summary: restored === undefined ? null : `RTO ${formatDuration(restored.rtoMs)}` },
  };
  const current: WizardStepId = steps[step].state === 'locked' && step !== 'restore' ? (committed ? 'restore' : 'source') : step;

  return (
    <div className="wizard" data-testid="recovery-wizard" data-step={current}>
      <StepList steps={{ ...steps, [current]: { ...steps[current], state: steps[current].state === 'done' || steps[current].state === 'failed' ? steps[current].state : 'current' } }} current={current} onGo={setStep} />
      <div className="wizard__body panel">
        {current === 'source' && (
          <SourceStep
            source={source}
            onSource={setSource}
            catalogRefused={catalogRefused}
            found={{ data: foundData, error: sourceInput === null ? null : found.error, pending: found.isPending, retry: () => void found.refetch() }}
            keySources={keySources}
            keySource={chosenKeySource}
            onKeySource={(s) => {
              setKeySource(s);
              setSecret('');
              setKeyVersion((v) => v + 1);
            }}
            secret={secret}
            onSecret={(s) => {
              setSecret(s);
              setKeyVersion((v) => v + 1);
            }}
            onNext={() => setStep('target')}
          />
        )}
        {current === 'target' && <TargetStep sources={foundData} storeReadable={storeProblem === null} target={target} onTarget={setTarget} plan={{ data: planData, error: plan.error, pending: plan.isFetching, retry: () => void plan.refetch() }} onNext={() => start('validate', validate, 'validate')} />}
        {current === 'validate' && (
          <ValidationStep job={validateJob} startError={validate.error} starting={validate.isPending} onStart={() => start('validate', validate, 'validate')} onBackToSource={() => setStep('source')} onNext={() => start('dryRun', dryRun, 'dry-run')} />
        )}
        {current === 'dry-run' && <DryRunStep job={dryRunJob} startError={dryRun.error} starting={dryRun.isPending} storeName={storeName} storeReadable={storeProblem === null} onStart={() => start('dryRun', dryRun, 'dry-run')} onNext={() => setStep('confirm')} />}
        {current === 'confirm' && dryRunReport !== undefined && (
          <ConfirmStep
            dryRun={dryRunReport}
            storeName={storeName}
            storePath={session.data?.storePath}
            storeProblem={storeProblem}
            principal={session.data?.principal}
            starting={restore.isPending}
            startError={restore.error}
            onConfirm={startRestore}
            onBack={() => setStep('dry-run')}
          />
        )}
        {current === 'restore' && (
          <RestoreStep
            job={restoreJob}
            onBack={() => {
              setRuns((r) => ({ ...r, restore: undefined }));
              setStep('confirm');
            }}
          />
        )}
        {current === 'report' && restored !== undefined && storeName !== undefined && (
          <div className="wizard-step" data-testid="step-report">
            <h2 className="wizard-step__title">The store is restored and verified</h2>
            {restoredUnopenable && (
              <p className="store-reopened" role="status" data-testid="store-reopened">
                {storeProblem === null ? 'The store opens again: every page reads the restored store.' : 'The restored store is being opened…'} The damaged one is kept as{' '}
                <span className="mono">{restored.previousStore === null ? `${storeName}.pre-restore-<time>` : baseName(restored.previousStore)}</span> (Set-aside stores).
              </p>
            )}
            <CatalogFromSources report={restored} />
            <RecoveryReportView report={restored} storeName={storeName} />
            <div className="wizard-step__actions">
              <a className="button" href={pageHref('streams')}>
                Open Streams
              </a>
              <button type="button" className="button button--quiet" onClick={onRestart} data-testid="wizard-restart">
                Start another recovery
              </button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
