import { useState } from 'react';
import type { OutputOf } from '../../../../../shared/api/contract.js';
import type { CatalogEntry, RetentionPolicy } from '../../../../../shared/backup.js';
import { useApiMutation } from '../../../api/hooks.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { ConfirmByTyping } from '../../../ui/ConfirmByTyping.js';
import { DataTable, type Column } from '../../../ui/DataTable.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { positionRange } from '../catalog/archiveState.js';
import { baseName, KIND_LABELS } from '../labels.js';
import { retentionRows, type RetentionRow } from './retentionPolicy.js';

const columns: Column<RetentionRow>[] = [
  {
    id: 'decision',
    label: 'Decision',
    header: 'Decision',
    width: 96,
    sortValue: (r) => (r.keep ? 'keep' : 'prune'),
    cell: (r) => <span className={`status-pill status-pill--${r.keep ? 'ok' : 'bad'}`}>{r.keep ? 'Keep' : 'Prune'}</span>,
  },
  { id: 'kind', label: 'Kind', header: 'Kind', width: 100, cell: (r) => <span className={`kind-pill kind-pill--${r.entry.manifest.kind}`}>{KIND_LABELS[r.entry.manifest.kind]}</span> },
  { id: 'positions', label: 'Positions', header: 'Positions', width: 150, align: 'right', mono: true, sortValue: (r) => r.entry.manifest.toPosition, cell: (r) => positionRange(r.entry) },
  { id: 'created', label: 'Created', header: 'Created', width: 170, sortValue: (r) => r.entry.manifest.createdAt, cell: (r) => <TimeStamp at={r.entry.manifest.createdAt} mode="absolute" /> },
  { id: 'size', label: 'Size', header: 'Size', width: 80, align: 'right', cell: (r) => (r.entry.archiveBytes === null ? '—' : formatBytes(r.entry.archiveBytes)) },
  { id: 'why', label: 'Why', header: 'Why', cell: (r) => r.why, title: (r) => r.entry.name },
];

/** A dry run's plan, archive by archive, and applying it once the folder's name is typed. */
export function RetentionPlanView({ plan, dir, policy, entries, onApplied }: { readonly plan: OutputOf<'backup.prune'>; readonly dir: string; readonly policy: RetentionPolicy; readonly entries: readonly CatalogEntry[]; readonly onApplied: (result: OutputOf<'backup.prune'>) => void }) {
  const apply = useApiMutation('backup.prune');
  const [confirming, setConfirming] = useState(false);
  const rows = retentionRows(plan, entries);
  const prunedBytes = rows.filter((r) => !r.keep).reduce((s, r) => s + (r.entry.archiveBytes ?? 0), 0);
  const archives = (n: number) => `${formatCount(n)} ${n === 1 ? 'archive' : 'archives'}`;
  return (
    <div className="retention-plan" data-testid="retention-plan">
      <p className="retention-plan__summary">
        <strong>{formatCount(plan.kept.length)}</strong> kept · <strong className={plan.pruned.length > 0 ? 'tone-bad' : ''}>{formatCount(plan.pruned.length)}</strong> would be pruned
        {plan.pruned.length > 0 && `, freeing ${formatBytes(prunedBytes)}`}
      </p>
      <DataTable rows={rows} columns={columns} rowKey={(r) => r.entry.archive} label="Retention plan" initialSort={{ id: 'created', dir: 'desc' }} rowData={(r) => ({ 'data-decision': r.keep ? 'keep' : 'prune' })} testId="retention-table" />
      {plan.pruned.length > 0 && !confirming && (
        <div className="form-actions">
          <button type="button" className="button button--danger" onClick={() => setConfirming(true)} data-testid="retention-apply">
            Apply: prune {archives(plan.pruned.length)}…
          </button>
        </div>
      )}
      {confirming && (
        <ConfirmByTyping
          title={`Prune ${archives(plan.pruned.length)} from ${dir}?`}
          expected={baseName(dir)}
          what="the folder name"
          confirmLabel="Prune archives"
          busy={apply.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            apply.mutate(
              { dir, policy, dryRun: false },
              {
                onSuccess: (result) => {
                  setConfirming(false);
                  onApplied(result);
                },
              },
            )
          }
          testId="confirm-prune"
        >
          <p>These archives, their sidecars and verification records will be deleted ({formatBytes(prunedBytes)}). The action is written to the audit log and cannot be undone:</p>
          <ul className="confirm__list mono">
            {plan.pruned.map((a) => (
              <li key={a}>{baseName(a)}</li>
            ))}
          </ul>
          {apply.error !== null && <ErrorPanel error={apply.error} title="Nothing was pruned" />}
        </ConfirmByTyping>
      )}
    </div>
  );
}
