import type { ReactNode } from 'react';

/** A labelled form field with its error, or else its hint, below it (the editors of schedules and policies). */
export function FormField({ label, htmlFor, hint, error, children }: { readonly label: string; readonly htmlFor?: string; readonly hint?: ReactNode; readonly error?: string; readonly children: ReactNode }) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={htmlFor}>
        {label}
      </label>
      {children}
      {error !== undefined ? <span className="field__error">{error}</span> : hint !== undefined && <span className="field__hint">{hint}</span>}
    </div>
  );
}
