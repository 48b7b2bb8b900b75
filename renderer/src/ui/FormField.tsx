import type { ReactNode } from 'react';
import type { PlacedIssues } from '../api/inputIssues.js';
import { describeIssue } from '../../../shared/validation.js';

/** Under a field: its error when it has one, else its hint. */
export function FieldNote({ error, hint }: { readonly error?: string; readonly hint?: ReactNode }) {
  if (error !== undefined) return <span className="field__error">{error}</span>;
  return hint === undefined ? null : <span className="field__hint">{hint}</span>;
}

/** A labelled form field with its error, or else its hint, below it (the editors of schedules and policies). */
export function FormField({ label, htmlFor, hint, error, children }: { readonly label: string; readonly htmlFor?: string; readonly hint?: ReactNode; readonly error?: string; readonly children: ReactNode }) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={htmlFor}>
        {label}
      </label>
      {children}
      <FieldNote error={error} hint={hint} />
    </div>
  );
}

/** A whole number with its unit beside it ("60 minutes"), typed as text so a half-typed value stays. */
export function NumberField({
  id,
  label,
  unit,
  value,
  onChange,
  hint,
  error,
  placeholder = '—',
  testId,
}: {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly value: string;
  readonly onChange: (text: string) => void;
  readonly hint?: ReactNode;
  readonly error?: string;
  readonly placeholder?: string;
  readonly testId?: string;
}) {
  return (
    <FormField label={label} htmlFor={id} hint={hint} error={error}>
      <div className="field__inline">
        <input
          id={id}
          className={`input input--number${error === undefined ? '' : ' input--invalid'}`}
          inputMode="numeric"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder={placeholder}
          aria-invalid={error !== undefined}
          data-testid={testId}
        />
        <span className="muted">{unit}</span>
      </div>
    </FormField>
  );
}

/**
 * Under a form that was refused: the issues about no field in particular, or a pointer to the fields
 * marked above. Nothing when there is nothing to say.
 */
export function FormIssues({ issues, refused, testId }: { readonly issues: PlacedIssues; readonly refused: string; readonly testId?: string }) {
  if (issues.count === 0) return null;
  return (
    <div className="field__error form-issues" role="alert" data-testid={testId}>
      {issues.unplaced.length === 0 ? (
        `${refused}: correct the fields marked above.`
      ) : (
        <>
          {refused}:
          <ul className="form-issues__list">
            {issues.unplaced.map((issue, i) => (
              <li key={i}>{describeIssue(issue)}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** An editor's submit button: armed once something changed (a new one at once), "Saving…" while it is sent. */
export function SaveButton({ pending, isNew, changed, newLabel, testId }: { readonly pending: boolean; readonly isNew: boolean; readonly changed: boolean; readonly newLabel: string; readonly testId?: string }) {
  return (
    <button type="submit" className="button button--primary" disabled={pending || (!changed && !isNew)} data-testid={testId}>
      {pending ? 'Saving…' : isNew ? newLabel : 'Save changes'}
    </button>
  );
}
