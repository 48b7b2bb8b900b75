import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { InputOf } from '../../../../../shared/api/contract.js';
import type { RecoveryTarget } from '../../../../../shared/recovery.js';
import { refreshAfter } from '../../../api/freshness.js';
import { useApiMutation, useApiQuery } from '../../../api/hooks.js';
import { checkInput, placeIssues } from '../../../api/inputIssues.js';
import { useStoreProblem } from '../../../app/storeState.js';
import { useJobById } from '../../../jobs/JobsProvider.js';
import { describeError } from '../../../ui/errors.js';
import { useDebounced } from '../../../ui/useDebounced.js';
import { keySourcesFor, keysOf, type KeySource } from '../../backups/form/DecryptionKeyField.js';
import { ConfirmStep } from './ConfirmStep.js';
import { DryRunStep } from './DryRunStep.js';
import { sourcesOf, type SourceChoice, type WizardRun, type WizardStepId } from './model.js';
import { ReportStep } from './ReportStep.js';
import { RestoreStep } from './RestoreStep.js';
import { SourceStep } from './SourceStep.js';
import { StepList } from './StepList.js';
import { TargetStep } from './TargetStep.js';
import { ValidationStep } from './ValidationStep.js';
import { currentStep, requestKey, wizardResults, wizardSteps, type RunKind } from './wizardState.js';

type RunInput = InputOf<'recovery.validate'>;

/**
 * The recovery wizard (issue 5 item 3): source → target → validation → dry run → confirmation → restore →
 * report, with the step list always in view. Each job's result holds for the choices it ran with (source,
 * target, key): changing one makes the later steps run again (wizardState.ts says how each step stands).
 * The key stays in this component's state.
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
  // The key is checked as main checks it (an identity must look like one) before any job is started with it.
  const keyIssue = placeIssues(checkInput('recovery.validate', runInput), [], ['keys']).at('keys');
  const request = requestKey({ sources, target, keySource: chosenKeySource, keyVersion });

  const validate = useApiMutation('recovery.validate');
  const dryRun = useApiMutation('recovery.dryRun');
  const restore = useApiMutation('recovery.restore');
  const currentRun = (kind: RunKind) => (runs[kind]?.request === request ? runs[kind] : undefined);
  const jobs = { validate: useJobById(currentRun('validate')?.jobId), dryRun: useJobById(currentRun('dryRun')?.jobId), restore: useJobById(runs.restore?.jobId) };
  const results = wizardResults(runs, jobs);
  const { dryRun: dryRunReport, restored, committed } = results;

  // The report replaces the progress once the restore has succeeded (once: the admin may look back).
  if (restored !== undefined && !reportShown) {
    setReportShown(true);
    setStep('report');
  }
  // Another store is open now (also one that could not be opened before): re-read what a restore changes
  // (everything, session.info among it), so every page leaves "cannot be opened" and shows the restored
  // store. The jobs list does the same when it hears of the end; this covers a restore whose end it missed.
  const restoredJobId = restored === undefined ? undefined : runs.restore?.jobId;
  useEffect(() => {
    if (restoredJobId === undefined) return;
    void refreshAfter(queryClient, { as: 'recovery.restore' });
  }, [restoredJobId, queryClient]);

  const start = (kind: 'validate' | 'dryRun', next: WizardStepId) => {
    if (keyIssue !== undefined) {
      setStep('source');
      return;
    }
    setStep(next);
    const forRequest = request;
    (kind === 'validate' ? validate : dryRun).mutate(runInput, { onSuccess: ({ jobId }) => setRuns((r) => ({ ...r, [kind]: { jobId, request: forRequest } })) });
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

  const restorable = foundData?.chains.some((c) => c.restorableTo > 0) ?? false;
  const steps = wizardSteps(
    {
      source,
      found: foundData === undefined ? undefined : { archives: foundData.entries.length, restorable },
      // Unusable once known (while the archives are being read, a target handed in by a link stays in view).
      sourceUnusable: sourceInput === null || (foundData !== undefined && !restorable) || found.error !== null,
      keyNeeded: keySources.length > 0,
      keyGiven: secret !== '',
      target,
      plan: planData,
      planFailed: plan.error !== null,
      request,
      runs,
      jobs,
      storeName,
    },
    results,
  );
  const { current, steps: shown } = currentStep(step, steps, committed);

  return (
    <div className="wizard" data-testid="recovery-wizard" data-step={current}>
      <StepList steps={shown} current={current} onGo={setStep} />
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
            keyIssue={keyIssue}
            onNext={() => setStep('target')}
          />
        )}
        {current === 'target' && <TargetStep sources={foundData} storeReadable={storeProblem === null} target={target} onTarget={setTarget} plan={{ data: planData, error: plan.error, pending: plan.isFetching, retry: () => void plan.refetch() }} onNext={() => start('validate', 'validate')} />}
        {current === 'validate' && (
          <ValidationStep job={jobs.validate} startError={validate.error} starting={validate.isPending} onStart={() => start('validate', 'validate')} onBackToSource={() => setStep('source')} onNext={() => start('dryRun', 'dry-run')} />
        )}
        {current === 'dry-run' && <DryRunStep job={jobs.dryRun} startError={dryRun.error} starting={dryRun.isPending} storeName={storeName} storeReadable={storeProblem === null} onStart={() => start('dryRun', 'dry-run')} onNext={() => setStep('confirm')} />}
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
            job={jobs.restore}
            onBack={() => {
              setRuns((r) => ({ ...r, restore: undefined }));
              setStep('confirm');
            }}
          />
        )}
        {current === 'report' && restored !== undefined && storeName !== undefined && <ReportStep restored={restored} storeName={storeName} restoredUnopenable={restoredUnopenable} storeOpen={storeProblem === null} onRestart={onRestart} />}
      </div>
    </div>
  );
}
