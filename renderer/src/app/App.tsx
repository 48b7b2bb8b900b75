import { lazy, Suspense, useEffect } from 'react';
import { JobsProvider } from '../jobs/JobsProvider.js';
import { HeadProvider } from '../live/HeadProvider.js';
import { useConnectionState } from '../live/useConnection.js';
import { OverviewPage } from '../pages/overview/OverviewPage.js';
import { ErrorPanel } from '../ui/ErrorPanel.js';
import { ConsoleError } from '../../../shared/errors.js';
import { ErrorBoundary } from './ErrorBoundary.js';
import { Nav } from './Nav.js';
import { NotBuiltPage } from './NotBuiltPage.js';
import { PAGES, type Route } from './routes.js';
import { StatusBar } from './StatusBar.js';
import { useStoreState } from './storeState.js';
import { StoreUnavailablePage } from './StoreUnavailable.js';
import { useRoute } from './useRoute.js';
import { Skeleton } from '../ui/Skeleton.js';

// Loaded when first visited: the first screen (Overview) does not wait for the event browser's code.
const StreamsPage = lazy(() => import('../pages/streams/StreamsPage.js').then((m) => ({ default: m.StreamsPage })));
const BackupsPage = lazy(() => import('../pages/backups/BackupsPage.js').then((m) => ({ default: m.BackupsPage })));
const RecoveryPage = lazy(() => import('../pages/recovery/RecoveryPage.js').then((m) => ({ default: m.RecoveryPage })));

/** `/` focuses the page's search box (any element marked data-search), unless typing already. */
function useSlashToSearch(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target !== null && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      const search = document.querySelector<HTMLInputElement>('[data-search]');
      if (search === null) return;
      e.preventDefault();
      search.focus();
      search.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * The page for the route, once session.info says whether the store is open (until then a placeholder:
 * asking a store that cannot be opened would only flash errors). While it cannot be opened, Recovery works
 * as always (with the problem above its wizard) and every other page shows the one explanation.
 */
function Page({ route }: { readonly route: Route }) {
  const store = useStoreState();
  if (route.page === 'recovery' || route.page === 'not-found') return <PageFor route={route} />;
  if (store.kind === 'unknown')
    return store.error === null ? (
      <PagePlaceholder />
    ) : (
      <div className="page">
        <ErrorPanel error={store.error} title="The console could not read its session" />
      </div>
    );
  if (store.kind === 'unavailable') return <StoreUnavailablePage page={route.page} session={store.session} problem={store.problem} />;
  return <PageFor route={route} />;
}

function PageFor({ route }: { readonly route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'streams':
      return (
        <Suspense fallback={<PagePlaceholder />}>
          <StreamsPage route={route} />
        </Suspense>
      );
    case 'backups':
      return (
        <Suspense fallback={<PagePlaceholder />}>
          <BackupsPage />
        </Suspense>
      );
    case 'recovery':
      return (
        <Suspense fallback={<PagePlaceholder />}>
          <RecoveryPage route={route} />
        </Suspense>
      );
    case 'not-found':
      return (
        <div className="page">
          <ErrorPanel error={new ConsoleError('NOT_FOUND', `There is no page at #${route.path}.`)} title="Page not found" />
        </div>
      );
    default:
      return <NotBuiltPage page={route.page} />;
  }
}

function PagePlaceholder() {
  return (
    <div className="page" aria-busy="true">
      <Skeleton width="10em" height="1.6em" />
    </div>
  );
}

function SignedOutBanner() {
  const state = useConnectionState();
  if (state !== 'signed-out') return null;
  return (
    <div className="banner banner--bad" role="alert">
      <ErrorPanel error={new ConsoleError('UNAUTHENTICATED', 'The console lost its session with pconsole serve (the server stopped or the sign-in expired).')} title="Signed out" />
    </div>
  );
}

export function App() {
  const route = useRoute();
  useSlashToSearch();
  const title = route.page === 'not-found' ? 'Not found' : PAGES.find((p) => p.id === route.page)?.title;
  useEffect(() => {
    document.title = `${title ?? ''} · Persistence Console`;
  }, [title]);
  return (
    <HeadProvider>
      <JobsProvider>
        <div className="shell">
          <StatusBar />
          <SignedOutBanner />
          <div className="shell__body">
            <Nav route={route} />
            <main className="shell__main">
              <ErrorBoundary resetKey={route.page}>
                <Page route={route} />
              </ErrorBoundary>
            </main>
          </div>
        </div>
      </JobsProvider>
    </HeadProvider>
  );
}
