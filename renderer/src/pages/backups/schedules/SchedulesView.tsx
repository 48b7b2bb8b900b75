import { useState } from 'react';
import type { BackupCatalog, ScheduleView } from '../../../../../shared/api/backupTypes.js';
import { useApiMutation } from '../../../api/hooks.js';
import { formatRelative } from '../../../format/time.js';
import { JobProgressView } from '../../../jobs/JobProgressView.js';
import { useJobById } from '../../../jobs/JobsProvider.js';
import { describeOutcome } from '../../../jobs/jobOutcome.js';
import { DataTable, type Column } from '../../../ui/DataTable.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { EmptyState, Panel } from '../../../ui/Panel.js';
import { Skeleton } from '../../../ui/Skeleton.js';
import { useNow } from '../../../ui/useNow.js';
import { useApiQuery } from '../../../api/hooks.js';
import { useSchedules } from '../data.js';
import { ENCRYPTION_LABELS, KIND_LABELS, OUTCOME_TONES } from '../labels.js';
import { formatMinutes } from '../rpo.js';
import { suggestedDestination } from '../run/runBackupForm.js';
import { ScheduleEditor } from './ScheduleEditor.js';
import { newScheduleForm, scheduleFormOf } from './scheduleForm.js';

/** The schedules with their next run and last outcome; the editor; "run now" with its progress. */
export function SchedulesView({ catalog, editing, onEdit }: { readonly catalog: BackupCatalog | undefined; readonly editing: string | null; readonly onEdit: (id: string | null) => void }) {
  const schedules = useSchedules();
  const session = useApiQuery('session.info', {}, { staleTime: Infinity });
  const runNow = useApiMutation('backup.runNow');
  const [run, setRun] = useState<{ readonly scheduleId: string; readonly jobId: string } | undefined>(undefined);
  const job = useJobById(run?.jobId);
  const now = useNow();
  const data = schedules.data;
  const running = runNow.isPending || job?.state === 'running' || data?.running != null;

  const startRun = (s: ScheduleView) => runNow.mutate({ scheduleId: s.id }, { onSuccess: ({ jobId }) => setRun({ scheduleId: s.id, jobId }) });

  if (schedules.error !== null) return <ErrorPanel error={schedules.error} title="The schedules could not be loaded" onRetry={() => void schedules.refetch()} />;
  if (data === undefined)
    return (
      <div className="panel backups__skeleton" aria-busy="true">
        <Skeleton width="40%" />
      </div>
    );

  const selected = editing === null || editing === 'new' ? undefined : data.schedules.find((s) => s.id === editing);
  const folders = catalog?.folders.map((f) => f.dir) ?? [];
  const ranSchedule = run === undefined ? undefined : data.schedules.find((s) => s.id === run.scheduleId);

  const columns: Column<ScheduleView>[] = [
    {
      id: 'name',
      label: 'Name',
      header: 'Name',
      width: 136,
      sortValue: (s) => s.name,
      cell: (s) => (
        <>
          <span className="schedule-name">{s.name}</span>
          {!s.enabled && <span className="status-pill status-pill--neutral">disabled</span>}
        </>
      ),
      title: (s) => s.name,
    },
    {
      id: 'cron',
      label: 'Cron',
      header: 'Cron',
      width: 90,
      mono: true,
      cell: (s) => s.cron,
      title: (s) => `${s.cron}${s.timezone === undefined ? '' : ` (${s.timezone})`}${s.window === null ? '' : `, starts only ${s.window.start}–${s.window.end}`}`,
    },
    {
      id: 'next',
      label: 'Next run',
      header: 'Next run',
      width: 236,
      sortValue: (s) => s.nextRuns[0]?.at ?? null,
      cell: (s) => (s.nextRuns[0] === undefined ? <span className="muted">{s.enabled ? 'never' : 'disabled'}</span> : s.nextRuns[0].words),
      title: (s) => s.nextRuns.map((r) => r.words).join('\n') || undefined,
    },
    {
      id: 'kind',
      label: 'Kind and encryption',
      header: 'Kind',
      width: 100,
      sortValue: (s) => s.kind,
      cell: (s) => (
        <>
          <span className={`kind-pill kind-pill--${s.kind}`}>{KIND_LABELS[s.kind]}</span>
          {s.encryption.kind !== 'none' && <span className="muted"> age</span>}
        </>
      ),
      title: (s) => `${KIND_LABELS[s.kind]}, encryption: ${ENCRYPTION_LABELS[s.encryption.kind]}`,
    },
    { id: 'dest', label: 'Destination', header: 'Destination', width: 120, mono: true, sortValue: (s) => s.destination, cell: (s) => s.destination, title: (s) => s.destination },
    { id: 'rpo', label: 'RPO target', header: 'RPO', width: 56, align: 'right', sortValue: (s) => s.rpoMinutes, cell: (s) => (s.rpoMinutes === null ? <span className="muted">—</span> : formatMinutes(s.rpoMinutes)) },
    {
      id: 'last',
      label: 'Last run',
      header: 'Last run',
      sortValue: (s) => s.lastRun?.id ?? null,
      cell: (s) =>
        data.running?.scheduleId === s.id ? (
          <span className="status-pill status-pill--accent">running</span>
        ) : s.lastRun === null ? (
          <span className="muted">never ran</span>
        ) : (
          <>
            <span className={`status-pill status-pill--${OUTCOME_TONES[s.lastRun.outcome]}`}>{s.lastRun.outcome}</span> {formatRelative(s.lastRun.endedAt ?? s.lastRun.dueAt, now)}
          </>
        ),
      title: (s) => (s.lastRun === null ? undefined : [s.lastRun.error?.message, s.lastRun.note].filter((t) => t != null).join('\n') || undefined),
    },
    {
      id: 'actions',
      label: 'Actions',
      header: '',
      width: 92,
      cell: (s) => (
        <button
          type="button"
          className="button button--small"
          disabled={running}
          onClick={(e) => {
            e.stopPropagation();
            startRun(s);
          }}
          data-testid="schedule-run-now"
        >
          Run now
        </button>
      ),
    },
  ];

  return (
    <div className="schedules">
      <Panel
        title="Schedules"
        testId="schedules-panel"
        actions={
          <button type="button" className="button button--small button--primary" onClick={() => onEdit('new')} disabled={editing === 'new'}>
            New schedule
          </button>
        }
      >
        {data.schedules.length === 0 ? (
          <EmptyState title="No schedules yet">
            <p>A schedule takes full or incremental backups on a cron expression, inside a window if you set one, verifies them, prunes old ones and sets the RPO target the console watches.</p>
          </EmptyState>
        ) : (
          <DataTable
            rows={data.schedules}
            columns={columns}
            rowKey={(s) => s.id}
            label="Backup schedules"
            selectedKey={selected?.id ?? null}
            onSelect={(s) => onEdit(s.id)}
            rowData={(s) => ({ 'data-schedule': s.name })}
            testId="schedules-table"
          />
        )}
        <p className="muted schedules__zone">Times are shown in each schedule’s time zone; this server runs in {data.timezone}.</p>
        {runNow.error !== null && <ErrorPanel error={runNow.error} title="The run could not start" />}
        {job !== undefined && (
          <div className="schedule-run" data-testid="schedule-run-job">
            <div className="schedule-run__title">
              Run of “{ranSchedule?.name ?? 'a deleted schedule'}” {job.state === 'running' ? 'in progress' : job.state}
            </div>
            <JobProgressView job={job} />
            {job.state === 'failed' && job.error !== null ? (
              <ErrorPanel error={job.error} title="The run failed" />
            ) : (
              job.state !== 'running' && (
                <p className={`tone-${describeOutcome(job).tone}`} data-testid="schedule-run-outcome">
                  {describeOutcome(job).text}
                </p>
              )
            )}
          </div>
        )}
      </Panel>
      {editing !== null && (editing === 'new' || selected !== undefined) && (
        <ScheduleEditor
          key={editing}
          schedule={selected}
          initial={selected === undefined ? newScheduleForm(catalog === undefined ? '' : suggestedDestination(catalog, session.data?.storePath), data.timezone) : scheduleFormOf(selected, data.timezone)}
          folders={folders}
          hostZone={data.timezone}
          onSaved={(id) => onEdit(id)}
          onDeleted={() => onEdit(null)}
          onCancel={() => onEdit(null)}
          onRunNow={() => selected !== undefined && startRun(selected)}
          runDisabled={running}
        />
      )}
    </div>
  );
}
