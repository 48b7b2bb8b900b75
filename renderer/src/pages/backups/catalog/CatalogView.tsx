import { useCallback, useState } from 'react';
import type { BackupCatalog, BackupFolder } from '../../../../../shared/api/backupTypes.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { useApiQuery } from '../../../api/hooks.js';
import { useHead } from '../../../live/HeadProvider.js';
import { EmptyState, Panel } from '../../../ui/Panel.js';
import { BackupCharts } from '../charts/BackupCharts.js';
import { AddFolder } from './AddFolder.js';
import { ArchiveDetail } from './ArchiveDetail.js';
import { ArchiveTable, type ArchiveTableProps } from './ArchiveTable.js';
import { chainProblem, fileProblems, folderProblem } from './archiveState.js';
import { ChainTimeline } from './ChainTimeline.js';
import { gapLabel } from './timelineLayout.js';
import { useArchiveDurations } from './durations.js';
import { ExportControl } from './ExportControl.js';
import { TrustedKeyPanel } from './TrustedKeyPanel.js';

interface CatalogViewProps {
  readonly catalog: BackupCatalog;
  readonly selected: string | null;
  readonly onSelect: (archive: string | null) => void;
  readonly onRunNow: () => void;
  readonly onNewSchedule: () => void;
}

/** Every archive of the store's backup folders, folder by folder: the chains on a timeline, the table, the problems. */
export function CatalogView({ catalog, selected, onSelect, onRunNow, onNewSchedule }: CatalogViewProps) {
  const durations = useArchiveDurations();
  const trustedKeyId = useApiQuery('backup.trustedKey', {}).data?.trustedKey?.keyId ?? null;
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  // Verify jobs by archive, so a running check is still shown after looking at another archive.
  const [verifyJobs, setVerifyJobs] = useState<ReadonlyMap<string, string>>(new Map());
  const close = useCallback(() => onSelect(null), [onSelect]);
  const onCheck = (archives: readonly string[], on: boolean) =>
    setChecked((current) => {
      const next = new Set(current);
      for (const a of archives) {
        if (on) next.add(a);
        else next.delete(a);
      }
      return next;
    });

  const empty = catalog.folders.every((f) => f.entries.length === 0 && fileProblems(f).length === 0);
  if (empty)
    return (
      <section className="panel panel--empty" data-testid="backups-empty">
        <EmptyState
          title="No backups yet — schedule one or run one now"
          actions={
            <>
              <button type="button" className="button button--primary" onClick={onRunNow}>
                Run backup now
              </button>
              <button type="button" className="button" onClick={onNewSchedule}>
                Schedule backups
              </button>
            </>
          }
        >
          <p>
            Archives are standard <code>.tar.gz</code> files (optionally encrypted with <code>age</code>) written to a folder you choose, each with a readable sidecar manifest, so they can be listed without keys and
            restored by hand without this program.
          </p>
          <p>A full archive holds the whole log; incrementals hold the events after the archive they continue. Folders already holding archives can be added below.</p>
        </EmptyState>
        {catalog.folders.length > 0 && (
          <ul className="backups-empty__folders muted">
            {catalog.folders.map((f) => (
              <li key={f.dir}>
                <span className="mono">{f.dir}</span>: {folderProblem(f) === undefined ? 'no archives yet' : 'not created yet (the first backup creates it)'}
              </li>
            ))}
          </ul>
        )}
        <div className="backups-empty__add">
          <AddFolder />
        </div>
      </section>
    );

  const all = catalog.folders.flatMap((f) => f.entries);
  const entry = selected === null ? undefined : all.find((e) => e.archive === selected);
  const chain = entry === undefined ? undefined : catalog.folders.flatMap((f) => f.chains).find((c) => c.links.some((l) => l.archive === entry.archive));
  const mine = all.filter((e) => e.manifest.storeId === catalog.storeId);

  return (
    <div className={`catalog${entry === undefined ? '' : ' catalog--detail'}`}>
      <div className="catalog__main">
        <TrustedKeyPanel />
        {catalog.folders.map((folder) => (
          <FolderPanel key={folder.dir} folder={folder} storeId={catalog.storeId} durations={durations} selected={selected} onSelect={onSelect} checked={checked} onCheck={onCheck} trustedKeyId={trustedKeyId} />
        ))}
        <BackupCharts entries={mine} durations={durations} />
        <AddFolder />
      </div>
      {entry !== undefined && (
        <ArchiveDetail
          key={entry.archive}
          entry={entry}
          chain={chain}
          durationMs={durations.get(entry.archive)}
          verifyJobId={verifyJobs.get(entry.archive)}
          onVerifyStarted={(jobId) => setVerifyJobs((m) => new Map(m).set(entry.archive, jobId))}
          onClose={close}
        />
      )}
    </div>
  );
}

/** A folder's panel shows its archives' table, and takes what the table takes. */
interface FolderPanelProps extends Omit<ArchiveTableProps, 'entries'> {
  readonly folder: BackupFolder;
}

function FolderPanel({ folder, ...table }: FolderPanelProps) {
  const { selected, onSelect } = table;
  const head = useHead();
  const bytes = folder.entries.reduce((s, e) => s + (e.archiveBytes ?? 0), 0);
  const picked = folder.entries.filter((e) => table.checked.has(e.archive)).map((e) => e.archive);
  const unreadable = folderProblem(folder);
  const problems = fileProblems(folder);
  return (
    <Panel
      className="folder-panel"
      testId="backup-folder"
      title={
        <span className="folder-panel__title">
          <span className="mono" title={folder.dir}>
            {folder.dir}
          </span>
          <span className="muted">
            {formatCount(folder.entries.length)} {folder.entries.length === 1 ? 'archive' : 'archives'} · {formatBytes(bytes)}
          </span>
        </span>
      }
      actions={picked.length > 0 ? <ExportControl archives={picked} noun={`${formatCount(picked.length)} selected`} what={`${formatCount(picked.length)} selected archives`} small /> : undefined}
    >
      {unreadable !== undefined && (
        <p className="folder-panel__note" data-testid="folder-unreadable">
          <code className="problem-list__code">{unreadable.code}</code> {unreadable.message}. A schedule’s destination is created by its first backup.
        </p>
      )}
      {problems.length > 0 && (
        <div className="alert alert--bad folder-panel__problems" role="alert" data-testid="folder-problems">
          <h3 className="alert__title">{problems.length === 1 ? 'A file here could not be listed' : `${formatCount(problems.length)} files here could not be listed`}</h3>
          <ul className="problem-list">
            {problems.map((p) => (
              <li key={p.path}>
                <code className="problem-list__code">{p.code}</code>
                <span>{p.message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {folder.chains.length > 0 && (
        <>
          <ChainTimeline chains={folder.chains} head={head?.headPosition} selected={selected} onSelect={onSelect} />
          <ul className="chain-list" aria-label="Chains">
            {folder.chains.map((c, i) => {
              const problem = chainProblem(c);
              const archives = c.links.map((l) => l.archive);
              return (
                <li key={archives[0] ?? i} className="chain-list__item" data-testid="chain-row">
                  <span className="chain-list__name">Chain {i + 1}</span>
                  <span className={problem === null ? 'tone-ok' : 'tone-bad'}>{problem === null ? 'complete' : `incomplete: ${problem}`}</span>
                  <span className="muted">
                    {formatCount(c.links.length)} {c.links.length === 1 ? 'archive' : 'archives'}, restorable to #{formatCount(c.restorableTo)}
                    {c.toPosition > c.restorableTo && `, reaches #${formatCount(c.toPosition)}`}
                  </span>
                  {c.gaps.map((g) => (
                    <span key={g.afterPosition} className="tone-bad" title={g.message}>
                      {gapLabel(g)}
                    </span>
                  ))}
                  <span className="toolbar-spacer" />
                  <ExportControl archives={archives} noun="chain" what={`the ${formatCount(archives.length)} archives of chain ${i + 1}`} small />
                </li>
              );
            })}
          </ul>
        </>
      )}
      <ArchiveTable entries={folder.entries} {...table} />
    </Panel>
  );
}
