import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { BackupCatalog } from '../../../../../shared/api/backupTypes.js';
import type { OutputOf } from '../../../../../shared/api/contract.js';
import type { CatalogEntry, RetentionPolicy, RetentionReason } from '../../../../../shared/backup.js';
import { useApiMutation } from '../../../api/hooks.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { ConfirmByTyping } from '../../../ui/ConfirmByTyping.js';
import { DataTable, type Column } from '../../../ui/DataTable.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { EmptyState, Panel } from '../../../ui/Panel.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { positionRange } from '../catalog/archiveState.js';
import { BACKUP_QUERIES, useSchedules } from '../data.js';
import { baseName, KIND_LABELS } from '../labels.js';
import { retentionOf } from '../schedules/scheduleForm.js';

type PruneResult = OutputOf<'backup.prune'>;

const REASONS: Readonly<Record<RetentionReason, string>> = {
  newest: 'the newest archive (always kept)',
  last: 'among the newest N',
  daily: 'newest of its day',
  weekly: 'newest of its week',
  monthly: 'newest of its month',
  'needed-by-chain': 'a kept archive’s restore chain needs it',
};

/**
 * The per-archive reasons, when the server sends them (RetentionPlan.decisions): backup.prune currently
 * answers with the kept and pruned lists only.
 */
function reasonsOf(result: PruneResult): ReadonlyMap<string, readonly RetentionReason[]> | undefined {
  if (!('decisions' in result) || !Array.isArray(result.decisions)) return undefined;
  const map = new Map<string, readonly RetentionReason[]>();
  for (const d of result.decisions as unknown[]) {
    if (typeof d === 'object' && d !== null && 'archive' in d && 'reasons' in d && typeof d.archive === 'string' && Array.isArray(d.reasons)) map.set(d.archive, d.reasons as RetentionReason[]);
  }
  return map;
}

interface Row {
  readonly entry: CatalogEntry;
  readonly keep: boolean;
  readonly why: string;
}

/** Retention: what a policy would keep and prune in a folder and why (a dry run), then applying it. */
export function RetentionView({ catalog }: { readonly catalog: BackupCatalog | undefined }) {
  const id = useId();
  const schedules = useSchedules();
  const folders = catalog?.folders.map((f) => f.dir) ?? [];
  const [dir, setDir] = useState<string>('');
  const folder = dir === '' ? folders[0] : dir;
  const fromSchedule = schedules.data?.schedules.find((s) => s.destination === folder && s.retention !== null)?.retention;
  const [policy, setPolicy] = useState<{ keepLast: string; daily: string; weekly: string; monthly: string } | null>(null);
  const fields = policy ?? {
    keepLast: fromSchedule?.keepLast?.toString() ?? '',
    daily: fromSchedule?.daily?.toString() ?? '',
    weekly: fromSchedule?.weekly?.toString() ?? '',
    monthly: fromSchedule?.monthly?.toString() ?? '',
  };
  const parsed: RetentionPolicy | null = retentionOf(fields);
  const preview = useApiMutation('backup.prune');
  const apply = useApiMutation('backup.prune');
  const [confirming, setConfirming] = useState(false);
  const queryClient = useQueryClient();

  if (catalog === undefined) return null;
  if (folders.length === 0)
    return (
      <Panel title="Retention">
        <EmptyState title="No backup folder yet">
          <p>Retention keeps the newest archives (keep last N) and the newest of each day, week and month, and never prunes an archive a kept archive’s restore chain needs.</p>
        </EmptyState>
      </Panel>
    );

  const plan = preview.data !== undefined && preview.variables?.dir === folder && JSON.stringify(preview.variables.policy) === JSON.stringify(parsed) ? preview.data : undefined;
  const entries = catalog.folders.find((f) => f.dir === folder)?.entries.filter((e) => e.manifest.storeId === catalog.storeId) ?? [];
  const reasons = plan === undefined ? undefined : reasonsOf(plan);
  const rows: Row[] =
    plan === undefined
      ? []
      : entries.map((entry) => {
          const keep = plan.kept.includes(entry.archive);
          const given = reasons?.get(entry.archive);
          const why =
            given !== undefined && given.length > 0
              ? given.map((r) => REASONS[r]).join('; ')
              : keep
                ? 'kept by the policy or needed by a kept archive’s restore chain'
                : 'not kept by the policy, and no kept archive’s restore chain needs it';
          return { entry, keep, why };
        });
  const prunedBytes = rows.filter((r) => !r.keep).reduce((s, r) => s + (r.entry.archiveBytes ?? 0), 0);
  const setField = (key: 'keepLast' | 'daily' | 'weekly' | 'monthly', value: string) => setPolicy({ ...fields, [key]: value });

  const columns: Column<Row>[] = [
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

  return (
    <Panel title="Retention" testId="retention">
      <form
        className="retention-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (parsed !== null && folder !== undefined) preview.mutate({ dir: folder, policy: parsed, dryRun: true });
        }}
      >
        <label className="field">
          <span className="field__label">Folder</span>
          <select id={`${id}-folder`} className="input select mono" value={folder} onChange={(e) => { setDir(e.target.value); setPolicy(null); }}>
            {folders.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <div className="retention-grid">
          {(
            [
              ['keepLast', 'Keep last', 'archives'],
              ['daily', 'Daily', 'days'],
              ['weekly', 'Weekly', 'weeks'],
              ['monthly', 'Monthly', 'months'],
            ] as const
          ).map(([key, label, unit]) => (
            <label key={key} className="retention-grid__item">
              <span className="field__label">{label}</span>
              <input className="input input--number" inputMode="numeric" value={fields[key]} onChange={(e) => setField(key, e.target.value)} placeholder="—" aria-label={`${label} (${unit})`} data-testid={`retention-${key}`} />
              <span className="muted">{unit}</span>
            </label>
          ))}
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={parsed === null || preview.isPending} data-testid="retention-preview">
            {preview.isPending ? 'Planning…' : 'Preview (dry run)'}
          </button>
          <span className="muted">{fromSchedule !== undefined && policy === null ? 'The policy of the schedule writing to this folder.' : parsed === null ? 'Set at least one rule.' : 'Nothing is deleted until you apply it.'}</span>
        </div>
      </form>
      {preview.error !== null && <ErrorPanel error={preview.error} title="The dry run failed" />}
      {plan !== undefined && (
        <div className="retention-plan" data-testid="retention-plan">
          <p className="retention-plan__summary">
            <strong>{formatCount(plan.kept.length)}</strong> kept · <strong className={plan.pruned.length > 0 ? 'tone-bad' : ''}>{formatCount(plan.pruned.length)}</strong> would be pruned
            {plan.pruned.length > 0 && `, freeing ${formatBytes(prunedBytes)}`}
          </p>
          <DataTable rows={rows} columns={columns} rowKey={(r) => r.entry.archive} label="Retention plan" initialSort={{ id: 'created', dir: 'desc' }} rowData={(r) => ({ 'data-decision': r.keep ? 'keep' : 'prune' })} testId="retention-table" />
          {plan.pruned.length > 0 && !confirming && (
            <div className="form-actions">
              <button type="button" className="button button--danger" onClick={() => setConfirming(true)} data-testid="retention-apply">
                Apply: prune {formatCount(plan.pruned.length)} {plan.pruned.length === 1 ? 'archive' : 'archives'}…
              </button>
            </div>
          )}
          {confirming && folder !== undefined && parsed !== null && (
            <ConfirmByTyping
              title={`Prune ${formatCount(plan.pruned.length)} ${plan.pruned.length === 1 ? 'archive' : 'archives'} from ${folder}?`}
              expected={baseName(folder)}
              what="the folder name"
              confirmLabel="Prune archives"
              busy={apply.isPending}
              onCancel={() => setConfirming(false)}
              onConfirm={() =>
                apply.mutate(
                  { dir: folder, policy: parsed, dryRun: false },
                  {
                    onSuccess: () => {
                      setConfirming(false);
                      preview.reset();
                      for (const method of BACKUP_QUERIES) void queryClient.invalidateQueries({ queryKey: [method] });
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
      )}
      {apply.data !== undefined && !apply.data.dryRun && (
        <p className="tone-ok" data-testid="retention-applied">
          Pruned {formatCount(apply.data.pruned.length)} {apply.data.pruned.length === 1 ? 'archive' : 'archives'}; {formatCount(apply.data.kept.length)} kept.
        </p>
      )}
    </Panel>
  );
}
