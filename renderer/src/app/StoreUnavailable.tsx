import type { SessionInfo, StoreProblem } from '../../../shared/api/types.js';
import { ERROR_HINTS } from '../../../shared/errors.js';
import { roleAllows } from '../../../shared/security.js';
import { useApiMutation } from '../api/hooks.js';
import { CopyId } from '../ui/CopyId.js';
import { ErrorPanel } from '../ui/ErrorPanel.js';
import { PageHead } from '../ui/Panel.js';
import { describeError } from '../ui/errors.js';
import { PAGES, recoveryHref, type PageId } from './routes.js';
import './storeUnavailable.css';

/** What the problem means for the admin, in words (the message below it says exactly what failed). */
function problemInWords(problem: StoreProblem): string {
  switch (problem.code) {
    case 'INTEGRITY_VIOLATION':
      return 'its event log (events.db) is damaged, empty or not a database';
    case 'NOT_FOUND':
      return 'its event log (events.db) is missing from the store’s folder';
    case 'UNSUPPORTED_FORMAT':
      return 'it was written by a newer version of Persistence Console';
    default:
      return 'opening it failed';
  }
}

/**
 * What to do next (ERROR_HINTS): the way to Recovery, and for a newer format also the upgrade. Above the
 * Recovery page's wizard only the upgrade is worth saying: the admin is where the first hint leads.
 */
function hintsFor(problem: StoreProblem, variant: 'page' | 'recovery'): string[] {
  const hints = variant === 'page' ? [ERROR_HINTS.STORE_UNAVAILABLE] : [];
  return problem.code === 'UNSUPPORTED_FORMAT' ? [...hints, ERROR_HINTS.UNSUPPORTED_FORMAT] : hints;
}

/** Desktop only: open another store through the folder dialog (the windows reload on the new store). */
function OpenAnotherStore({ session }: { readonly session: SessionInfo }) {
  const open = useApiMutation('store.open');
  if (!session.canSwitchStores) return null;
  const allowed = roleAllows(session.principal.role, 'admin');
  // Closing the dialog without choosing answers CANCELLED: nothing to report.
  const error = open.error !== null && describeError(open.error).code !== 'CANCELLED' ? open.error : null;
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={!allowed || open.isPending}
        title={allowed ? 'Choose another store’s folder' : 'Opening another store needs the admin role'}
        onClick={() => open.mutate({})}
        data-testid="open-another-store"
      >
        {open.isPending ? 'Opening…' : 'Open another store…'}
      </button>
      {error !== null && <ErrorPanel error={error} title="The other store could not be opened" />}
    </>
  );
}

/**
 * The store the console was started on cannot be opened: which one, why (the code and message opening it
 * failed with), what to do (restore it from backups on the Recovery page; on the desktop, open another
 * store). `recovery`: the compact form shown above the Recovery page's wizard.
 */
export function StoreUnavailablePanel({ session, problem, variant }: { readonly session: SessionInfo; readonly problem: StoreProblem; readonly variant: 'page' | 'recovery' }) {
  return (
    <section className={`store-unavailable store-unavailable--${variant}`} role="alert" data-testid="store-unavailable" data-problem-code={problem.code}>
      <h2 className="store-unavailable__title">{variant === 'page' ? 'The store cannot be opened' : 'The store cannot be opened — restore it from its backups below'}</h2>
      <p className="store-unavailable__lead">
        The console started without the store <strong className="mono">{session.storeName}</strong>: {problemInWords(problem)}.{' '}
        {variant === 'page'
          ? 'Pages that read the store wait for it; the Recovery page works without it and restores it in place.'
          : `Restoring works without it, from its catalog if that can still be read, else from archives you name; the damaged store is set aside as ${session.storeName}.pre-restore-<time>, not deleted.`}
      </p>
      <dl className="facts store-unavailable__facts">
        <dt>Store</dt>
        <dd data-testid="store-unavailable-path">
          <CopyId value={session.storePath} full label="store path" />
        </dd>
        <dt>Problem</dt>
        <dd>
          <code className="error-panel__code" data-testid="store-unavailable-code">
            {problem.code}
          </code>{' '}
          <span className="store-unavailable__message" data-testid="store-unavailable-message">
            {problem.message}
          </span>
        </dd>
      </dl>
      {hintsFor(problem, variant).map((hint) => (
        <p key={hint} className="error-panel__hint store-unavailable__hint" data-testid="store-unavailable-hint">
          {hint}
        </p>
      ))}
      <div className="store-unavailable__actions">
        {variant === 'page' && (
          <a className="button button--primary" href={recoveryHref()} data-testid="store-unavailable-recover">
            Restore it from backups
          </a>
        )}
        <OpenAnotherStore session={session} />
      </div>
      {variant === 'page' && (
        <p className="muted store-unavailable__note">
          Nothing is deleted: a restore keeps the damaged store beside the restored one as <span className="mono">{session.storeName}.pre-restore-&lt;time&gt;</span>, listed under Recovery → Set-aside stores
          until you discard it.
        </p>
      )}
    </section>
  );
}

/** Every page but Recovery while the store cannot be opened: the page's title and the one explanation. */
export function StoreUnavailablePage({ page, session, problem }: { readonly page: PageId; readonly session: SessionInfo; readonly problem: StoreProblem }) {
  const title = PAGES.find((p) => p.id === page)?.title ?? page;
  return (
    <div className="page" data-testid={`page-${page}`} data-store-unavailable="true">
      <PageHead title={title} subtitle="needs the store, which cannot be opened" />
      <StoreUnavailablePanel session={session} problem={problem} variant="page" />
    </div>
  );
}
