import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { refreshAfter } from '../../api/freshness.js';
import { useApiQuery } from '../../api/hooks.js';
import { formatBytes, formatCount } from '../../format/numbers.js';
import { ErrorPanel } from '../../ui/ErrorPanel.js';
import { MetricsSkeleton } from '../../ui/Metric.js';
import { PageHead } from '../../ui/Panel.js';
import { Skeleton } from '../../ui/Skeleton.js';
import { BACKUPS_TABS, backupsHref, useBackupsTab } from './backupsRoute.js';
import { storeArchives } from './catalog/archiveState.js';
import { CatalogView } from './catalog/CatalogView.js';
import { BACKUP_FOLDER_CHANGES } from './changes.js';
import { useCatalog, useSchedules } from './data.js';
import { RetentionView } from './retention/RetentionView.js';
import { RunBackupPanel } from './run/RunBackupPanel.js';
import { RunHistory } from './runs/RunHistory.js';
import { SchedulesView } from './schedules/SchedulesView.js';
import { BackupsSummary } from './BackupsSummary.js';
import './backups.css';

/**
 * Backups (DESIGN §9, issue 4): the catalog with its chains on a timeline, run now, verify, export, the
 * schedules, the run history and retention, under the RPO indicator.
 */
export function BackupsPage() {
  const tab = useBackupsTab();
  const queryClient = useQueryClient();
  const catalog = useCatalog();
  const schedules = useSchedules();
  const session = useApiQuery('session.info', {}, { staleTime: Infinity });
  const [runOpen, setRunOpen] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  /** The schedule in the editor: an id, 'new', or none. Kept here so the header's button can open it. */
  const [editing, setEditing] = useState<string | null>(null);
  const data = catalog.data;
  const archives = data === undefined ? [] : storeArchives(data);
  const bytes = archives.reduce((sum, e) => sum + (e.archiveBytes ?? 0), 0);

  const openRun = () => {
    setRunOpen(true);
    if (tab !== 'catalog') window.location.hash = backupsHref('catalog');
  };
  // Archives written outside the console (the CLI, a copy) are not announced: read the folders again.
  const refresh = () => void refreshAfter(queryClient, BACKUP_FOLDER_CHANGES);
  const newSchedule = () => {
    setEditing('new');
    if (tab !== 'schedules') window.location.hash = backupsHref('schedules');
  };

  return (
    <div className="page backups" data-testid="page-backups">
      <PageHead
        title="Backups"
        className="backups__head"
        subtitle={
          data !== undefined && (
            <>
              store <span className="mono">{data.storeId}</span> · {formatCount(archives.length)} {archives.length === 1 ? 'archive' : 'archives'} ({formatBytes(bytes)}) in {formatCount(data.folders.length)}{' '}
              {data.folders.length === 1 ? 'folder' : 'folders'}
            </>
          )
        }
      >
        <span className="toolbar-spacer" />
        <button type="button" className="button button--primary" onClick={openRun} aria-expanded={runOpen} data-testid="open-run-backup">
          Run backup now
        </button>
        <button type="button" className="button" onClick={newSchedule} data-testid="open-new-schedule">
          New schedule
        </button>
        <button type="button" className="button button--quiet" onClick={refresh} disabled={catalog.isFetching} title="Read the backup folders again (archives written by the command line appear here)" data-testid="backups-refresh">
          {catalog.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </PageHead>

      {catalog.error !== null && <ErrorPanel error={catalog.error} title="The backup catalog could not be loaded" onRetry={() => void catalog.refetch()} />}
      {data === undefined && catalog.error === null ? <MetricsSkeleton /> : data !== undefined && <BackupsSummary catalog={data} schedules={schedules.data} />}

      {runOpen && data !== undefined && <RunBackupPanel catalog={data} storePath={session.data?.storePath} onClose={() => setRunOpen(false)} onShowArchive={setSelected} />}

      <nav className="tabs backups__tabs" role="tablist" aria-label="Backups sections">
        {BACKUPS_TABS.map((t) => (
          <a key={t.id} role="tab" className={`tabs__tab${t.id === tab ? ' tabs__tab--on' : ''}`} aria-selected={t.id === tab} href={backupsHref(t.id)} data-testid={`backups-tab-${t.id}`}>
            {t.title}
            {t.id === 'catalog' && data !== undefined && <span className="tabs__count">{formatCount(archives.length)}</span>}
            {t.id === 'schedules' && schedules.data !== undefined && <span className="tabs__count">{formatCount(schedules.data.schedules.length)}</span>}
          </a>
        ))}
      </nav>

      <div className="backups__content" role="tabpanel">
        {tab === 'catalog' &&
          (data === undefined ? (
            catalog.error === null && <CatalogSkeleton />
          ) : (
            <CatalogView catalog={data} selected={selected} onSelect={setSelected} onRunNow={openRun} onNewSchedule={newSchedule} />
          ))}
        {tab === 'schedules' && <SchedulesView catalog={data} editing={editing} onEdit={setEditing} />}
        {tab === 'runs' && <RunHistory />}
        {tab === 'retention' && <RetentionView catalog={data} />}
      </div>
    </div>
  );
}

function CatalogSkeleton() {
  return (
    <div className="panel backups__skeleton" aria-busy="true">
      {Array.from({ length: 5 }, (_, i) => (
        <div className="skeleton-line" key={i}>
          <Skeleton width="12%" />
          <Skeleton width="30%" />
          <Skeleton width="18%" />
          <Skeleton width="25%" />
        </div>
      ))}
    </div>
  );
}
