import { useMemo, useState } from 'react';
import { roleAllows } from '../../../../../shared/security.js';
import { useApiMutation, useApiQuery } from '../../../api/hooks.js';
import { formatAbsolute } from '../../../format/time.js';
import { JobProgressView } from '../../../jobs/JobProgressView.js';
import { useJobById } from '../../../jobs/JobsProvider.js';
import { isDrillReport } from '../../../jobs/recoveryResults.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { EmptyState, Panel } from '../../../ui/Panel.js';
import { Skeleton } from '../../../ui/Skeleton.js';
import { useCatalog, useSchedules } from '../../backups/data.js';
import { RecoveryReportView } from '../report/RecoveryReportView.js';
import { JobCancel } from '../wizard/JobCancel.js';
import { DrillCharts } from './DrillCharts.js';
import { DrillHistory } from './DrillHistory.js';
import { DrillPolicyEditor } from './DrillPolicyEditor.js';
import { DrillStatusFacts } from './DrillStatusPanel.js';

const HISTORY_LIMIT = 200;

/**
 * Recovery drills (issue 5 item 2): the policy and where drills stand, "run drill now" with its progress,
 * RTO and RPO over time against their targets, and the history with each drill's report.
 */
export function DrillsView() {
  const status = useApiQuery('recovery.drillStatus', {}, { refetchInterval: (q) => (q.state.data?.running != null ? 2000 : 60_000) });
  const drills = useApiQuery('recovery.drills', { limit: HISTORY_LIMIT });
  const session = useApiQuery('session.info', {}, { staleTime: Infinity });
  const catalog = useCatalog();
  const schedules = useSchedules();
  const run = useApiMutation('recovery.runDrill');
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  const job = useJobById(jobId);
  const [editing, setEditing] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const folders = useMemo(() => catalog.data?.folders.map((f) => f.dir) ?? [], [catalog.data]);
  const role = session.data?.principal.role;
  const policy = status.data?.policy ?? null;
  const running = run.isPending || job?.state === 'running' || status.data?.running != null;
  const result = job?.state === 'succeeded' && isDrillReport(job.result) ? job.result : undefined;
  const selectedDrill = drills.data?.find((d) => d.id === selected);
  const storeName = session.data?.storeName ?? 'store';

  const actions = (
    <>
      <button
        type="button"
        className="button button--primary"
        disabled={policy === null || running || role === undefined || !roleAllows(role, 'operator')}
        title={policy === null ? 'Set a drill policy first: it names the folder of archives' : role !== undefined && !roleAllows(role, 'operator') ? 'Running a drill needs the operator role' : undefined}
        onClick={() => run.mutate({}, { onSuccess: ({ jobId: started }) => setJobId(started) })}
        data-testid="run-drill"
      >
        {running ? 'Drill running…' : 'Run drill now'}
      </button>
      <button type="button" className="button" disabled={role === undefined || !roleAllows(role, 'admin')} title={role !== undefined && !roleAllows(role, 'admin') ? 'Changing the policy needs the admin role' : undefined} onClick={() => setEditing(true)} data-testid="edit-drill-policy">
        {policy === null ? 'Set a drill policy' : 'Edit policy'}
      </button>
    </>
  );

  return (
    <div className="drills" data-testid="drills">
      <Panel title="Recovery drills" actions={actions} testId="drill-panel">
        {status.error !== null ? (
          <ErrorPanel error={status.error} title="The drill status could not be loaded" onRetry={() => void status.refetch()} />
        ) : status.data === undefined ? (
          <Skeleton width="60%" height="5em" />
        ) : policy === null && status.data.last === null && !editing ? (
          <EmptyState title="No drill policy yet — set one so backups are proven to restore">
            A drill restores the newest complete chain of a backup folder into a scratch folder on a schedule, verifies it, measures the RTO and the RPO, and deletes it. Overview warns when the last drill failed or is
            older than the policy allows.
          </EmptyState>
        ) : (
          <DrillStatusFacts status={status.data} />
        )}
        {run.error !== null && <ErrorPanel error={run.error} title="The drill could not start" />}
        {job !== undefined && (
          <div className="wizard-job" data-testid="drill-job">
            <JobProgressView job={job} />
            {job.state === 'running' && <JobCancel jobId={job.id} note="Cancelling deletes the scratch folder; nothing else is written." />}
            {job.state === 'failed' && job.error !== null && <ErrorPanel error={job.error} title="The drill failed" />}
            {result !== undefined && (
              <details className="drill-result" data-testid="drill-result">
                <summary>Report of this drill</summary>
                <RecoveryReportView report={result} storeName={storeName} />
              </details>
            )}
          </div>
        )}
      </Panel>
      {editing && status.data !== undefined && <DrillPolicyEditor policy={policy} folders={folders} hostZone={schedules.data?.timezone ?? 'UTC'} onDone={() => setEditing(false)} />}
      {drills.error !== null ? (
        <ErrorPanel error={drills.error} title="The drill history could not be loaded" onRetry={() => void drills.refetch()} />
      ) : drills.data === undefined ? (
        <Skeleton width="100%" height="12em" />
      ) : (
        <>
          <DrillCharts drills={drills.data} />
          <Panel title="Drill history" testId="drill-history-panel">
            <DrillHistory drills={drills.data} selected={selected} onSelect={(d) => setSelected(d.id === selected ? null : d.id)} />
            {selectedDrill !== undefined && (
              <div className="drill-report" data-testid="drill-report">
                {selectedDrill.report !== null ? (
                  <RecoveryReportView report={selectedDrill.report} storeName={storeName} />
                ) : selectedDrill.error !== null ? (
                  <ErrorPanel error={selectedDrill.error} title={`The drill of ${formatAbsolute(selectedDrill.startedAt)} ${selectedDrill.outcome}`} />
                ) : (
                  <p className="muted">This drill left no report ({selectedDrill.outcome}).</p>
                )}
              </div>
            )}
          </Panel>
        </>
      )}
    </div>
  );
}
