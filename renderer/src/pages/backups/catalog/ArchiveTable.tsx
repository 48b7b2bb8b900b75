import type { CatalogEntry } from '../../../../../shared/backup.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { formatDuration, formatIsoUtc } from '../../../format/time.js';
import { DataTable, type Column } from '../../../ui/DataTable.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { ENCRYPTION_LABELS, KIND_LABELS } from '../labels.js';
import { archiveState, positionRange, STATE_LABELS, STATE_TONES } from './archiveState.js';
import { SIGNATURE_LABELS, signatureTitle, signatureTone, signatureView } from './signatureState.js';

export interface ArchiveTableProps {
  readonly entries: readonly CatalogEntry[];
  readonly storeId: string;
  readonly durations: ReadonlyMap<string, number>;
  readonly selected: string | null;
  readonly onSelect: (archive: string) => void;
  readonly checked: ReadonlySet<string>;
  readonly onCheck: (archives: readonly string[], on: boolean) => void;
  /** The store's trusted signing key (null: none), for the Signature column. */
  readonly trustedKeyId: string | null;
}

/** The archives of one folder, newest first: kind, positions, events, size, time, duration, encryption, signature, verified state. */
export function ArchiveTable({ entries, storeId, durations, selected, onSelect, checked, onCheck, trustedKeyId }: ArchiveTableProps) {
  const all = entries.map((e) => e.archive);
  const allOn = all.length > 0 && all.every((a) => checked.has(a));
  const columns: Column<CatalogEntry>[] = [
    {
      id: 'pick',
      label: 'Select',
      width: 34,
      header: <input type="checkbox" aria-label="Select every archive of this folder" checked={allOn} onChange={(e) => onCheck(all, e.target.checked)} />,
      cell: (e) => (
        <input
          type="checkbox"
          aria-label={`Select ${e.name}`}
          checked={checked.has(e.archive)}
          onClick={(ev) => ev.stopPropagation()}
          onKeyDown={(ev) => ev.stopPropagation()}
          onChange={(ev) => onCheck([e.archive], ev.target.checked)}
        />
      ),
    },
    {
      id: 'kind',
      label: 'Kind',
      header: 'Kind',
      width: 120,
      sortValue: (e) => e.manifest.kind,
      cell: (e) => (
        <>
          <span className={`kind-pill kind-pill--${e.manifest.kind}`}>{KIND_LABELS[e.manifest.kind]}</span>
          {e.manifest.storeId !== storeId && <span className="muted"> other store</span>}
        </>
      ),
      title: (e) => e.name,
    },
    { id: 'positions', label: 'Positions', header: 'Positions', width: 104, align: 'right', mono: true, sortValue: (e) => e.manifest.toPosition, cell: (e) => positionRange(e) },
    { id: 'events', label: 'Events', header: 'Events', width: 84, align: 'right', sortValue: (e) => e.manifest.eventCount, cell: (e) => formatCount(e.manifest.eventCount) },
    {
      id: 'size',
      label: 'Size',
      header: 'Size',
      width: 84,
      align: 'right',
      sortValue: (e) => e.archiveBytes,
      cell: (e) => (e.archiveBytes === null ? <span className="tone-bad">missing</span> : formatBytes(e.archiveBytes)),
      title: (e) => (e.archiveBytes === null ? undefined : `${formatCount(e.archiveBytes)} bytes`),
    },
    { id: 'created', label: 'Created', header: 'Created', width: 112, sortValue: (e) => e.manifest.createdAt, cell: (e) => <TimeStamp at={e.manifest.createdAt} mode="relative" />, title: (e) => formatIsoUtc(e.manifest.createdAt) },
    {
      id: 'duration',
      label: 'Duration',
      header: 'Duration',
      width: 84,
      align: 'right',
      sortValue: (e) => durations.get(e.archive) ?? null,
      cell: (e) => {
        const ms = durations.get(e.archive);
        return ms === undefined ? <span className="muted">—</span> : formatDuration(ms);
      },
    },
    { id: 'encryption', label: 'Encryption', header: 'Encryption', width: 100, sortValue: (e) => e.manifest.encryption, cell: (e) => ENCRYPTION_LABELS[e.manifest.encryption] },
    {
      id: 'signature',
      label: 'Signature',
      header: 'Signature',
      width: 120,
      sortValue: (e) => signatureView(e, trustedKeyId),
      cell: (e) => {
        const view = signatureView(e, trustedKeyId);
        return (
          <span className={`status-pill status-pill--${signatureTone(view, trustedKeyId)}`} data-signature={view}>
            {SIGNATURE_LABELS[view]}
          </span>
        );
      },
      title: (e) => signatureTitle(e, signatureView(e, trustedKeyId)),
    },
    {
      id: 'verified',
      label: 'Verified',
      header: 'Verified',
      sortValue: (e) => archiveState(e),
      cell: (e) => {
        const state = archiveState(e);
        return (
          <span className="verified-cell">
            <span className={`status-pill status-pill--${STATE_TONES[state]}`}>{STATE_LABELS[state]}</span>
            {e.verification !== null && state !== 'missing' && <TimeStamp at={e.verification.verifiedAt} mode="relative" />}
          </span>
        );
      },
      title: (e) => (e.verification === null ? 'Never verified' : `Last verified ${formatIsoUtc(e.verification.verifiedAt)}${e.verification.stale ? ' (the file changed since)' : ''}`),
    },
  ];
  return (
    <DataTable
      rows={entries}
      columns={columns}
      rowKey={(e) => e.archive}
      label="Archives"
      initialSort={{ id: 'created', dir: 'desc' }}
      selectedKey={selected}
      onSelect={(e) => onSelect(e.archive)}
      rowData={(e) => ({ 'data-archive': e.name, 'data-kind': e.manifest.kind, 'data-state': archiveState(e), 'data-signature': signatureView(e, trustedKeyId) })}
      testId="archive-table"
      empty="No archives in this folder."
    />
  );
}
