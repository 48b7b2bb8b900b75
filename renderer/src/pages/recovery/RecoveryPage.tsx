import { useState } from 'react';
import { useApiQuery } from '../../api/hooks.js';
import { RECOVERY_TABS, recoveryHref, type Route } from '../../app/routes.js';
import { navigate } from '../../app/useRoute.js';
import { formatCount } from '../../format/numbers.js';
import { useStoreState } from '../../app/storeState.js';
import { StoreUnavailablePanel } from '../../app/StoreUnavailable.js';
import { EmptyState, PageHead, Panel } from '../../ui/Panel.js';
import { DrillsView } from './drills/DrillsView.js';
import { SetAsideStores } from './setAside/SetAsideStores.js';
import { RecoveryWizard } from './wizard/RecoveryWizard.js';
import '../backups/backups.css';
import './recovery.css';

type RecoveryRoute = Extract<Route, { page: 'recovery' }>;

/**
 * Recovery (DESIGN §9, issue 5): the restore wizard, recovery drills, and the stores restores set aside.
 * The wizard stays mounted while another tab is shown, so its choices survive a look at the drills.
 */
export function RecoveryPage({ route }: { readonly route: RecoveryRoute }) {
  const session = useApiQuery('session.info', {}, { staleTime: Infinity });
  const store = useStoreState();
  const setAside = useApiQuery('recovery.preRestoreStores', {});
  // Drills read the store: not asked while it cannot be opened.
  const drillStatus = useApiQuery('recovery.drillStatus', {}, { enabled: store.kind !== 'unavailable' });
  // A target handed in by a link (#/recovery?position=N) starts a fresh wizard at its target step.
  const [wizard, setWizard] = useState({ key: 0, position: route.position });
  if (route.position !== null && route.position !== wizard.position) setWizard({ key: wizard.key + 1, position: route.position });
  const restart = () => {
    setWizard({ key: wizard.key + 1, position: null });
    navigate(recoveryHref(), { replace: true });
  };
  const warning = store.kind === 'unavailable' ? null : (drillStatus.data?.warning ?? null);

  return (
    <div className="page recovery" data-testid="page-recovery">
      <PageHead
        title="Recovery"
        subtitle={
          session.data !== undefined && (
            <>
              store <span className="mono">{session.data.storeName}</span> · restore it to a point in time from its backup chains, prove the backups restore with drills
            </>
          )
        }
      />
      {store.kind === 'unavailable' && <StoreUnavailablePanel session={store.session} problem={store.problem} variant="recovery" />}
      <nav className="tabs recovery__tabs" role="tablist" aria-label="Recovery sections">
        {RECOVERY_TABS.map((t) => (
          <a key={t.id} role="tab" className={`tabs__tab${t.id === route.tab ? ' tabs__tab--on' : ''}`} aria-selected={t.id === route.tab} href={recoveryHref({ tab: t.id })} data-testid={`recovery-tab-${t.id}`}>
            {t.title}
            {t.id === 'drills' && warning !== null && <span className={`dot dot--${warning.severity === 'error' ? 'bad' : 'warn'} recovery__tab-dot`} title={warning.message} />}
            {t.id === 'set-aside' && setAside.data !== undefined && setAside.data.length > 0 && <span className="tabs__count">{formatCount(setAside.data.length)}</span>}
          </a>
        ))}
      </nav>
      <div role="tabpanel" hidden={route.tab !== 'restore'}>
        <RecoveryWizard key={wizard.key} initialPosition={wizard.position} onRestart={restart} />
      </div>
      {route.tab === 'drills' && <div role="tabpanel">{store.kind === 'unavailable' ? <DrillsUnavailable /> : <DrillsView />}</div>}
      {route.tab === 'set-aside' && (
        <div role="tabpanel">
          <SetAsideStores />
        </div>
      )}
    </div>
  );
}

/** Drills keep their policy and history in the store: nothing to show or run while it cannot be opened. */
function DrillsUnavailable() {
  return (
    <Panel title="Recovery drills" testId="drill-panel">
      <EmptyState
        title="Drills are unavailable while the store cannot be opened"
        actions={
          <a className="button button--primary" href={recoveryHref()}>
            Restore the store
          </a>
        }
      >
        <p data-testid="drills-unavailable">
          A drill’s policy, its schedule and the history of its runs are kept in the store, which cannot be read now. Restore the store on the Restore tab: its drills are shown and run here again once it opens.
        </p>
      </EmptyState>
    </Panel>
  );
}
