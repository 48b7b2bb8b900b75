import { useId, useState } from 'react';
import type { BackupRun } from '../../../../../shared/backup.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { formatDuration, formatIsoUtc } from '../../../format/time.js';
import { DataTable, type Column } from '../../../ui/DataTable.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { Panel } from '../../../ui/Panel.js';
import { Skeleton } from '../../../ui/Skeleton.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { useRuns, useSchedules } from '../data.js';
import { baseName, KIND_LABELS, OUTCOME_TONES, TRIGGER_LABELS } from '../labels.js';

/** The API's most; the same query as the catalog's durations (one fetch for both). */
const LIMIT = 500;

/** Every scheduled, caught-up and "run now" run: when, what, how it ended, what it wrote, why it failed. */
export function RunHistory() {
  const id = useId();
  const [scheduleId, setScheduleId] = useState<string | undefined>(undefined);
  const runs = useRuns(scheduleId, LIMIT);
  const schedules = useSchedules();
  const names = new Map(schedules.data?.schedules.map((s) => [s.id, s.name]) ?? []);

  const columns: Column<BackupRun>[] = [
    { id: 'start', label: 'Started', header: 'Started', width: 150, sortValue: (r) => r.startedAt ?? r.dueAt, cell: (r) => <TimeStamp at={r.startedAt ?? r.dueAt} mode="absolute" />, title: (r) => `due ${formatIsoUtc(r.dueAt)}` },
    { id: 'end', label: 'Ended', header: 'Ended', width: 150, sortValue: (r) => r.endedAt, cell: (r) => (r.endedAt === null ? <span className="muted">—</span> : <TimeStamp at={r.endedAt} mode="absolute" />) },
    { id: 'schedule', label: 'Schedule', header: 'Schedule', width: 130, sortValue: (r) => (r.scheduleId === null ? null : (names.get(r.scheduleId) ?? r.scheduleId)), cell: (r) => (r.scheduleId === null ? <span className="muted">none</span> : (names.get(r.scheduleId) ?? <span className="muted">deleted</span>)) },
    { id: 'trigger', label: 'Trigger', header: 'Trigger', width: 86, sortValue: (r) => r.trigger, cell: (r) => TRIGGER_LABELS[r.trigger] },
    { id: 'kind', label: 'Kind', header: 'Kind', width: 96, sortValue: (r) => r.kind, cell: (r) => <span className={`kind-pill kind-pill--${r.kind}`}>{KIND_LABELS[r.kind]}</span> },
    { id: 'outcome', label: 'Outcome', header: 'Outcome', width: 100, sortValue: (r) => r.outcome, cell: (r) => <span className={`status-pill status-pill--${OUTCOME_TONES[r.outcome]}`}>{r.outcome}</span> },
    { id: 'archive', label: 'Archive', header: 'Archive', width: 200, mono: true, sortValue: (r) => r.archive, cell: (r) => (r.archive === null ? <span className="muted">—</span> : baseName(r.archive)), title: (r) => r.archive ?? undefined },
    { id: 'bytes', label: 'Bytes', header: 'Size', width: 80, align: 'right', sortValue: (r) => r.archiveBytes, cell: (r) => (r.archiveBytes === null ? '—' : formatBytes(r.archiveBytes)), title: (r) => (r.archiveBytes === null ? undefined : `${formatCount(r.archiveBytes)} bytes`) },
    { id: 'events', label: 'Events', header: 'Events', width: 80, align: 'right', sortValue: (r) => r.events, cell: (r) => (r.events === null ? '—' : formatCount(r.events)) },
    { id: 'duration', label: 'Duration', header: 'Duration', width: 80, align: 'right', sortValue: (r) => r.durationMs, cell: (r) => (r.durationMs === null ? '—' : formatDuration(r.durationMs)) },
    {
      id: 'error',
      label: 'Error or note',
      header: 'Error / note',
      cell: (r) =>
        r.error !== null ? (
          <span className="tone-bad">
            <code>{r.error.code}</code> {r.error.message}
          </span>
        ) : (
          <span className="muted">
            {r.verified === true ? 'verified' : r.verified === false ? 'verification failed' : ''}
            {r.pruned !== null && r.pruned > 0 ? `${r.verified === null ? '' : ' · '}${formatCount(r.pruned)} pruned` : ''}
            {r.note === null ? '' : `${r.verified !== null || (r.pruned ?? 0) > 0 ? ' · ' : ''}${r.note}`}
          </span>
        ),
      title: (r) => [r.error === null ? null : `${r.error.code}: ${r.error.message}`, r.note].filter((t) => t !== null).join('\n') || undefined,
    },
  ];

  return (
    <Panel
      title="Run history"
      testId="run-history"
      actions={
        <>
          <label htmlFor={`${id}-filter`} className="muted">
            Schedule
          </label>
          <select id={`${id}-filter`} className="input input--small select" value={scheduleId ?? ''} onChange={(e) => setScheduleId(e.target.value === '' ? undefined : e.target.value)}>
            <option value="">All schedules</option>
            {schedules.data?.schedules.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </>
      }
    >
      {runs.error !== null ? (
        <ErrorPanel error={runs.error} title="The run history could not be loaded" onRetry={() => void runs.refetch()} />
      ) : runs.data === undefined ? (
        <Skeleton width="60%" />
      ) : (
        <>
          <DataTable
            rows={runs.data}
            columns={columns}
            rowKey={(r) => String(r.id)}
            label="Backup runs"
            initialSort={{ id: 'start', dir: 'desc' }}
            rowData={(r) => ({ 'data-outcome': r.outcome, 'data-trigger': r.trigger })}
            empty="No runs yet. Scheduled runs, catch-ups and “Run now” of a schedule are recorded here, whatever their outcome."
            testId="runs-table"
          />
          {runs.data.length === LIMIT && <p className="muted">The newest {formatCount(LIMIT)} runs are shown.</p>}
        </>
      )}
    </Panel>
  );
}
