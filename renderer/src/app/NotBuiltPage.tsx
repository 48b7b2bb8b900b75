import { PageHead } from '../ui/Panel.js';
import { PAGES, type PageId } from './routes.js';

/** What each page will do, said plainly until it is built (no sample data pretending to be the store's). */
const LATER: Readonly<Record<Exclude<PageId, 'overview' | 'streams'>, string>> = {
  projections: 'Read models built from the log: their lag behind the head, checkpoints, and rebuilds with progress.',
  query: 'Read-only SQL over the store with a plan tree, timings, statistics and index hints.',
  cache: 'The read cache: hit ratio, bytes and evictions over time, and its policy.',
  backups: 'The backup catalog, schedules, run now, verify and export, with the time since the last verified backup against the RPO target.',
  recovery: 'A recovery wizard: choose archives and a point in time, validate, dry-run, restore, verify, and see the measured RTO.',
  security: 'Principals and roles, and the hash-chained audit log of every command.',
  policies: 'Durability, retention and maintenance policies of the store.',
};

export function NotBuiltPage({ page }: { readonly page: Exclude<PageId, 'overview' | 'streams'> }) {
  const title = PAGES.find((p) => p.id === page)?.title ?? page;
  return (
    <div className="page" data-testid={`page-${page}`}>
      <PageHead title={title} />
      <section className="panel not-built">
        <h2 className="not-built__title">Not available in this version yet</h2>
        <p>
          This part of Persistence Console is not built yet, so there is nothing to show here: no data on this page comes from your store. When it is built, this page
          will show:
        </p>
        <p className="not-built__what">{LATER[page]}</p>
        <p className="muted">
          Until then, use <a href="#/overview">Overview</a> and <a href="#/streams">Streams</a>, or the <code>pconsole</code> command line.
        </p>
      </section>
    </div>
  );
}
