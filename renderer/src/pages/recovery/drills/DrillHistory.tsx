import type { DrillRecord } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { formatDuration, formatIsoUtc } from '../../../format/time.js';
import { DataTable, type Column } from '../../../ui/DataTable.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { DRILL_OUTCOME_TONES, DRILL_TRIGGER_LABELS, formatTarget } from '../labels.js';

/** A measure against its target: "1.2 s" in the tone of met or missed. */
function Measured({ ms, targetMs }: { readonly ms: number | null; readonly targetMs: number | null }) {
  if (ms === null) return <span className="muted">—</span>;
  const missed = targetMs !== null && ms > targetMs;
  return (
    <span className={missed ? 'tone-bad' : targetMs === null ? undefined : 'tone-ok'} title={targetMs === null ? 'no target' : `target ${formatTarget(targetMs)}: ${missed ? 'missed' : 'met'}`}>
      {formatDuration(ms)}
    </span>
  );
}

/** Every drill, newest first: when, why, how it ended, what it restored, RTO and RPO against their targets, why it failed. */
export function DrillHistory({ drills, selected, onSelect }: { readonly drills: readonly DrillRecord[]; readonly selected: number | null; readonly onSelect: (drill: DrillRecord) => void }) {
  const columns: Column<DrillRecord>[] = [
    { id: 'start', label: 'Started', header: 'Started', width: 160, sortValue: (d) => d.startedAt, cell: (d) => <TimeStamp at={d.startedAt} mode="absolute" />, title: (d) => formatIsoUtc(d.startedAt) },
    { id: 'trigger', label: 'Trigger', header: 'Trigger', width: 100, sortValue: (d) => d.trigger, cell: (d) => DRILL_TRIGGER_LABELS[d.trigger] },
    { id: 'outcome', label: 'Outcome', header: 'Outcome', width: 100, sortValue: (d) => d.outcome, cell: (d) => <span className={`status-pill status-pill--${DRILL_OUTCOME_TONES[d.outcome]}`}>{d.outcome}</span> },
    { id: 'head', label: 'Head', header: 'Head', width: 90, align: 'right', sortValue: (d) => d.headPosition, cell: (d) => (d.headPosition === null ? '—' : `#${formatCount(d.headPosition)}`) },
    { id: 'archives', label: 'Archives', header: 'Archives', width: 80, align: 'right', sortValue: (d) => d.archives, cell: (d) => (d.archives === null ? '—' : formatCount(d.archives)) },
    { id: 'rto', label: 'RTO', header: 'RTO', width: 90, align: 'right', sortValue: (d) => d.rtoMs, cell: (d) => <Measured ms={d.rtoMs} targetMs={d.rtoTargetMs} /> },
    { id: 'rpo', label: 'RPO', header: 'RPO', width: 90, align: 'right', sortValue: (d) => d.rpoMs, cell: (d) => <Measured ms={d.rpoMs} targetMs={d.rpoTargetMs} /> },
    {
      id: 'error',
      label: 'Error',
      header: 'Error / report',
      cell: (d) =>
        d.error !== null ? (
          <span className="tone-bad">
            <code>{d.error.code}</code> {d.error.message}
          </span>
        ) : d.report !== null ? (
          <span className="muted">{d.id === selected ? 'report shown below' : 'select for the report'}</span>
        ) : (
          <span className="muted">—</span>
        ),
      title: (d) => (d.error === null ? undefined : `${d.error.code}: ${d.error.message}`),
    },
  ];
  return (
    <DataTable
      rows={drills}
      columns={columns}
      rowKey={(d) => String(d.id)}
      label="Drill history"
      initialSort={{ id: 'start', dir: 'desc' }}
      selectedKey={selected === null ? null : String(selected)}
      onSelect={onSelect}
      rowData={(d) => ({ 'data-outcome': d.outcome, 'data-trigger': d.trigger })}
      empty="No drills yet. Scheduled drills, catch-ups and “Run drill now” are recorded here, whatever their outcome."
      testId="drill-history"
    />
  );
}
