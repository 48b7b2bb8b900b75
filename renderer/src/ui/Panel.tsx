import type { ReactNode } from 'react';

/** A titled section of a page; `actions` sit at the right of the title row. */
export function Panel({ title, actions, children, className = '', testId }: { readonly title?: ReactNode; readonly actions?: ReactNode; readonly children: ReactNode; readonly className?: string; readonly testId?: string }) {
  return (
    <section className={`panel ${className}`} data-testid={testId}>
      {(title !== undefined || actions !== undefined) && (
        <header className="panel__head">
          {title !== undefined && <h2 className="panel__title">{title}</h2>}
          {actions !== undefined && <div className="panel__actions">{actions}</div>}
        </header>
      )}
      <div className="panel__body">{children}</div>
    </section>
  );
}

/** What would fill an empty page and how to get it there. */
export function EmptyState({ title, children, actions }: { readonly title: string; readonly children?: ReactNode; readonly actions?: ReactNode }) {
  return (
    <div className="empty-state">
      <h3 className="empty-state__title">{title}</h3>
      {children !== undefined && <div className="empty-state__text">{children}</div>}
      {actions !== undefined && <div className="empty-state__actions">{actions}</div>}
    </div>
  );
}

/** A page's title row: the title, a subtitle when there is one, then anything else (pills, the page's buttons). */
export function PageHead({ title, subtitle, className = '', children }: { readonly title: string; readonly subtitle?: ReactNode; readonly className?: string; readonly children?: ReactNode }) {
  return (
    <header className={`page__head${className === '' ? '' : ` ${className}`}`}>
      <h1 className="page__title">{title}</h1>
      {subtitle !== undefined && subtitle !== null && subtitle !== false && <span className="page__subtitle">{subtitle}</span>}
      {children}
    </header>
  );
}
