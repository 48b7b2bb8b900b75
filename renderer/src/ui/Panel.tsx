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
