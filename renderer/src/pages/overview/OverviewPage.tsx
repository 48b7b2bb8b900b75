import { lazy, Suspense, useState } from 'react';
import type { StoreOverview } from '../../../../shared/api/types.js';
import { DURABILITY_LABELS } from '../../../../shared/store.js';
import { useApiQuery } from '../../api/hooks.js';
import { formatBytes, formatCount } from '../../format/numbers.js';
import { useHead } from '../../live/HeadProvider.js';
import { CopyId } from '../../ui/CopyId.js';
import { ErrorPanel } from '../../ui/ErrorPanel.js';
import { Skeleton } from '../../ui/Skeleton.js';
import { TimeStamp } from '../../ui/TimeStamp.js';
import { EmptyStore } from './DemoLoader.js';
import { EventTypesPanel } from './EventTypesPanel.js';
import { IntegrityPanel } from './IntegrityPanel.js';
import { LossAlert } from './LossAlert.js';
import { LossHistory } from './LossHistory.js';
import { OverviewBackupCard } from '../backups/OverviewBackupCard.js';
import { OverviewDrillCard } from '../recovery/OverviewDrillCard.js';
import { RecentEvents } from './RecentEvents.js';
import { PageHead, Panel } from '../../ui/Panel.js';
import { Metric, MetricsSkeleton } from '../../ui/Metric.js';

// The chart library is most of the bundle: it loads beside the first screen, not before it.
const EventRateChart = lazy(() => import('./EventRateChart.js').then((m) => ({ default: m.EventRateChart })));

export function OverviewPage() {
  const overview = useApiQuery('store.overview', {});
  const session = useApiQuery('session.info', {}, { staleTime: Infinity });
  const [demoJobId, setDemoJobId] = useState<string | undefined>(undefined);
  const [acknowledgedNow, setAcknowledgedNow] = useState<string | null>(null);
  const data = overview.data;
  return (
    <div className="page" data-testid="page-overview">
      <PageHead
        title="Overview"
        subtitle={
          data !== undefined && (
            <>
              {session.data?.storeName} · store <span className="mono">{data.stats.storeId}</span> · format v{data.stats.formatVersion} · created <TimeStamp at={data.stats.createdAt} mode="absolute" />
            </>
          )
        }
      />
      {overview.error !== null && <ErrorPanel error={overview.error} title="The store's overview could not be loaded" onRetry={() => void overview.refetch()} />}
      {data !== undefined && data.problems.length > 0 && (
        <LossAlert
          problems={data.problems}
          headPosition={data.stats.headPosition}
          storeName={session.data?.storeName}
          principal={session.data?.principal}
          onAcknowledged={(r) =>
            setAcknowledgedNow(`Acknowledged ${formatCount(r.acknowledged.length)} ${r.acknowledged.length === 1 ? 'loss' : 'losses'}: writes resume after position ${formatCount(r.headPosition)}.`)
          }
        />
      )}
      {data !== undefined && (data.stats.events === 0 || demoJobId !== undefined) && <EmptyStore jobId={demoJobId} onStarted={setDemoJobId} />}
      {data === undefined && overview.error === null ? <MetricsSkeleton /> : data !== undefined && <OverviewBody data={data} acknowledgedNow={acknowledgedNow} />}
    </div>
  );
}

function OverviewBody({ data, acknowledgedNow }: { readonly data: StoreOverview; readonly acknowledgedNow: string | null }) {
  const head = useHead();
  const { stats, views } = data;
  // The live head may be ahead of the last overview fetch (refreshed every few seconds while appends
  // go on): show the newer one. The log is gapless, so its head is also its event count.
  const headPosition = Math.max(head?.headPosition ?? 0, stats.headPosition);
  const events = Math.max(headPosition, stats.events);
  const headHash = head !== undefined && head.headPosition >= stats.headPosition ? head.headHash : stats.headHash;
  const total = stats.sizeBytes + stats.walBytes + stats.viewsBytes;
  return (
    <>
      <div className="metrics">
        <Metric label="Events" value={<span data-testid="metric-events">{formatCount(events)}</span>}>
          {events === 0 ? 'the log is empty' : `in the log, positions 1 – ${formatCount(headPosition)}`}
        </Metric>
        <Metric label="Streams" value={<span data-testid="metric-streams">{formatCount(stats.streams)}</span>}>
          {stats.streams === 0 ? 'none yet' : `${formatCount(Math.round(events / stats.streams))} events per stream on average`}
        </Metric>
        <Metric label="Head position" value={<span data-testid="metric-head">{formatCount(headPosition)}</span>} testId="metric-head-card">
          <div className="metric__line">
            <span className="muted">hash</span> <CopyId value={headHash} head={8} tail={4} label="head hash" />
          </div>
          {stats.headRecordedAt !== null && (
            <div className="metric__line">
              <span className="muted">last event</span> <TimeStamp at={stats.headRecordedAt} mode="relative" />
            </div>
          )}
        </Metric>
        <Metric label="Store size" value={<span data-testid="metric-size">{formatBytes(total)}</span>}>
          <dl className="facts facts--tight">
            <dt>events.db</dt>
            <dd>{formatBytes(stats.sizeBytes)}</dd>
            <dt>WAL</dt>
            <dd>{formatBytes(stats.walBytes)}</dd>
            <dt>views.db</dt>
            <dd>{formatBytes(stats.viewsBytes)}</dd>
          </dl>
        </Metric>
        <Metric label="Durability" value={stats.durability === 'full' ? 'Full' : <span className="tone-warn">Normal</span>} testId="metric-durability">
          {DURABILITY_LABELS[stats.durability]}
        </Metric>
        <Metric label="Read-model lag" value={<span data-testid="metric-lag">{views.lag === 0 ? 'Caught up' : `${formatCount(views.lag)} events`}</span>}>
          console views at position {formatCount(views.position)}
        </Metric>
      </div>
      <div className="overview-grid">
        <div className="overview-main">
          <Suspense fallback={<ChartPlaceholder />}>
            <EventRateChart />
          </Suspense>
          {stats.events > 0 && <RecentEvents headPosition={stats.headPosition} />}
        </div>
        <div className="overview-side">
          <IntegrityPanel integrity={data.integrity} />
          {data.losses.length > 0 && <LossHistory losses={data.losses} acknowledgedNow={acknowledgedNow} />}
          <OverviewBackupCard rpo={data.backup} />
          <OverviewDrillCard />
          <EventTypesPanel totalEvents={stats.events} />
        </div>
      </div>
    </>
  );
}

function ChartPlaceholder() {
  return (
    <Panel title="Events appended">
      <div className="chart-frame">
        <Skeleton height="100%" />
      </div>
    </Panel>
  );
}
