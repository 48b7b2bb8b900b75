import { useApiQuery } from '../api/hooks.js';
import { formatCount } from '../format/numbers.js';
import { BackupsNavBadge } from '../pages/backups/BackupsNavBadge.js';
import { RecoveryNavBadge } from '../pages/recovery/RecoveryNavBadge.js';
import { ICONS } from '../ui/icons.js';
import { PAGES, pageHref, type Route } from './routes.js';
import { useStoreState } from './storeState.js';

/** Left navigation: one entry per page, a badge where something needs attention. */
export function Nav({ route }: { readonly route: Route }) {
  const store = useStoreState();
  const overview = useApiQuery('store.overview', {}, { enabled: store.kind !== 'unavailable' });
  const problems = overview.data?.problems.length ?? 0;
  const integrityBad = store.kind !== 'unavailable' && overview.data?.integrity?.ok === false;
  const attention = store.kind === 'unavailable' ? 0 : problems + (integrityBad ? 1 : 0);
  return (
    <nav className="nav" aria-label="Pages">
      <ul className="nav__list">
        {PAGES.map((page) => {
          const current = route.page === page.id;
          return (
            <li key={page.id}>
              <a className={`nav__link${current ? ' nav__link--current' : ''}${page.built ? '' : ' nav__link--later'}`} href={pageHref(page.id)} aria-current={current ? 'page' : undefined} data-testid={`nav-${page.id}`} title={page.built ? undefined : `${page.title}: not built yet`}>
                {ICONS[page.id]}
                <span className="nav__title">{page.title}</span>
                {page.id === 'overview' && attention > 0 && (
                  <span className="nav__badge nav__badge--bad" title={`${formatCount(attention)} integrity ${attention === 1 ? 'problem needs' : 'problems need'} attention`} data-testid="nav-badge-overview">
                    {formatCount(attention)}
                  </span>
                )}
                {page.id === 'backups' && store.kind !== 'unavailable' && <BackupsNavBadge />}
                {page.id === 'recovery' && (store.kind === 'unavailable' ? <StoreUnavailableBadge /> : <RecoveryNavBadge />)}
                {page.id === 'streams' && integrityBad && (
                  <span className="nav__badge nav__badge--bad" title="The last integrity check failed">
                    !
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** While the store cannot be opened, Recovery is where the admin goes: its entry says so. */
function StoreUnavailableBadge() {
  return (
    <span className="nav__badge nav__badge--bad" title="The store cannot be opened: restore it from its backups here" data-testid="nav-badge-recovery" data-code="STORE_UNAVAILABLE">
      !
    </span>
  );
}
