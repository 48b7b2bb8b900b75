import { describeError } from './errors.js';

/**
 * A failed call: what happened (the message), why (the stable code) and what to do next (the hint for
 * that code). Never a stack trace.
 */
export function ErrorPanel({ error, title = 'This could not be loaded', onRetry }: { readonly error: unknown; readonly title?: string; readonly onRetry?: () => void }) {
  const { code, message, hint } = describeError(error);
  return (
    <div className="error-panel" role="alert" data-error-code={code}>
      <div className="error-panel__head">
        <span className="error-panel__title">{title}</span>
        <code className="error-panel__code">{code}</code>
      </div>
      <p className="error-panel__message">{message}</p>
      <p className="error-panel__hint">{hint}</p>
      {onRetry !== undefined && (
        <button type="button" className="button button--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** The one-line form for tight places (a table cell, a job row). */
export function InlineError({ error }: { readonly error: unknown }) {
  const { code, message, hint } = describeError(error);
  return (
    <span className="inline-error" role="alert" data-error-code={code} title={hint}>
      <code>{code}</code> {message} <span className="inline-error__hint">{hint}</span>
    </span>
  );
}
