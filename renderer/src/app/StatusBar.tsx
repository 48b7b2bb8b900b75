import { useCallback, useState, type ReactNode } from 'react';
import type { HeadNotice, StoreOverview, StoreProblem } from '../../../shared/api/types.js';
import { DURABILITY_LABELS } from '../../../shared/store.js';
import { useApiQuery } from '../api/hooks.js';
import { formatCount } from '../format/numbers.js';
import { formatIsoUtc, formatRelative } from '../format/time.js';
import { JobsPanel } from '../jobs/JobsPanel.js';
import { BackupStatusItem } from '../pages/backups/BackupStatusItem.js';
import { useJobs } from '../jobs/JobsProvider.js';
import { useConnectionState } from '../live/useConnection.js';
import { useHead } from '../live/HeadProvider.js';
import { ICONS, LogoMark } from '../ui/icons.js';
import { Skeleton, Spinner } from '../ui/Skeleton.js';
import { useNow } from '../ui/useNow.js';
import { recoveryHref } from './routes.js';
import { useStoreState } from './storeState.js';
import './storeUnavailable.css';

/** Always visible: which store, where its head is, how durable, how healthy, the link, and jobs. */
export function StatusBar() {
  const session = useApiQuery('session.info', {}, { staleTime: Infinity });
  const store = useStoreState();
  // Asked for as soon as the page loads (beside session.info), except once the store is known not to open.
  const overview = useApiQuery('store.overview', {}, { enabled: store.kind !== 'unavailable' });
  const head = useHead();
  const stats = overview.data?.stats;
  return (
    <header className="status-bar" data-testid="status-bar">
      <div className="status-bar__brand">
        <LogoMark />
        <span>Persistence Console</span>
      </div>
      <div className="status-bar__store" title={session.data?.storePath}>
        {session.data === undefined ? (
          <Skeleton width="14em" />
        ) : (
          <>
            <span className="status-bar__store-name" data-testid="store-name">
              {session.data.storeName}
            </span>
            <span className="status-bar__store-path">{session.data.storePath}</span>
          </>
        )}
      </div>
      <div className="status-bar__items">
        {store.kind === 'unavailable' ? (
          <StoreUnavailableItem problem={store.problem} />
        ) : (
          <StoreItems head={head} stats={stats} />
        )}
        <ConnectionItem />
        <JobsButton />
      </div>
    </header>
  );
}

/**
 * In place of head, durability, integrity and backup while the store cannot be opened: nothing to wait
 * for (no spinner), no error per item, one plain state with the problem in its tooltip.
 */
function StoreUnavailableItem({ problem }: { readonly problem: StoreProblem }) {
  return (
    <StatusItem label="Store" title={`The store cannot be opened (${problem.code}): ${problem.message}\nHead, integrity and backups are read from the store: open Recovery to restore it.`}>
      <a className="status-bar__problem" href={recoveryHref()} data-testid="status-store-unavailable" data-code={problem.code}>
        <span className="dot dot--bad" />
        <span className="tone-bad">store unavailable</span>
        <code className="muted">{problem.code}</code>
      </a>
    </StatusItem>
  );
}

function StoreItems({ head, stats }: { readonly head: HeadNotice | undefined; readonly stats: StoreOverview['stats'] | undefined }) {
  return (
    <>
      <StatusItem label="Head" title={head === undefined ? undefined : `Head position ${formatCount(head.headPosition)}\nhash ${head.headHash}`}>
        <span className="mono" data-testid="status-head">
          {head === undefined ? (stats === undefined ? '…' : formatCount(stats.headPosition)) : formatCount(head.headPosition)}
        </span>
      </StatusItem>
      <StatusItem label="Durability" title={stats === undefined ? undefined : DURABILITY_LABELS[stats.durability]}>
        {stats === undefined ? '…' : <span className={stats.durability === 'full' ? '' : 'tone-warn'}>{stats.durability === 'full' ? 'Full' : 'Normal'}</span>}
      </StatusItem>
      <IntegrityItem />
      <BackupStatusItem />
    </>
  );
}

function StatusItem({ label, title, children }: { readonly label: string; readonly title?: string; readonly children: ReactNode }) {
  return (
    <div className="status-item" title={title}>
      <span className="status-item__label">{label}</span>
      <span className="status-item__value">{children}</span>
    </div>
  );
}

function IntegrityItem() {
  const overview = useApiQuery('store.overview', {}, { enabled: useStoreState().kind !== 'unavailable' });
  const now = useNow();
  const data = overview.data;
  if (data === undefined) return <StatusItem label="Integrity">…</StatusItem>;
  if (data.problems.length > 0)
    return (
      <StatusItem label="Integrity" title={data.problems.map((p) => p.message).join('\n')}>
        <span className="dot dot--bad" />
        <span className="tone-bad" data-testid="status-integrity">
          {data.problems.length === 1 ? '1 open problem' : `${data.problems.length} open problems`}
        </span>
      </StatusItem>
    );
  const check = data.integrity;
  if (check === null)
    return (
      <StatusItem label="Integrity" title="This store has not been verified from the console yet. Run Verify integrity on Overview.">
        <span className="dot dot--neutral" />
        <span data-testid="status-integrity">Not verified</span>
      </StatusItem>
    );
  return (
    <StatusItem label="Integrity" title={`Last verify ${formatIsoUtc(check.checkedAt)}: ${formatCount(check.checkedEvents)} events checked`}>
      <span className={`dot ${check.ok ? 'dot--ok' : 'dot--bad'}`} />
      <span className={check.ok ? '' : 'tone-bad'} data-testid="status-integrity">
        {check.ok ? `Verified ${formatRelative(check.checkedAt, now)}` : `Failed at ${check.firstBadPosition === null ? 'file level' : formatCount(check.firstBadPosition)}`}
      </span>
    </StatusItem>
  );
}

function ConnectionItem() {
  const state = useConnectionState();
  const session = useApiQuery('session.info', {}, { staleTime: Infinity });
  if (session.data?.principal.transport === 'electron')
    return (
      <StatusItem label="Connection" title="Desktop app: the console talks to its own main process">
        <span className="dot dot--ok" />
        Desktop
      </StatusItem>
    );
  const text = { connecting: 'Connecting…', open: 'Serve · live', reconnecting: 'Reconnecting…', 'signed-out': 'Signed out' }[state];
  const tone = { connecting: 'neutral', open: 'ok', reconnecting: 'warn', 'signed-out': 'bad' }[state];
  return (
    <StatusItem label="Connection" title="Serve mode: a WebSocket to pconsole serve">
      <span className={`dot dot--${tone}`} />
      <span data-testid="status-connection" data-state={state}>
        {text}
      </span>
    </StatusItem>
  );
}

function JobsButton() {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const { jobs } = useJobs();
  const running = jobs.filter((j) => j.state === 'running').length;
  return (
    <>
      <button type="button" className={`status-bar__jobs${running > 0 ? ' status-bar__jobs--running' : ''}`} onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="jobs-button" data-jobs-toggle>
        {running > 0 ? <Spinner label="Jobs running" /> : ICONS.jobs}
        <span>{running > 0 ? `${running} running` : 'Jobs'}</span>
      </button>
      {open && <JobsPanel onClose={close} />}
    </>
  );
}
