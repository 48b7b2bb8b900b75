import { percent } from '../format/numbers.js';

/** A determinate bar when the total is known, an indeterminate stripe while it is not. */
export function ProgressBar({ done, total, label }: { readonly done: number; readonly total: number | null; readonly label: string }) {
  const value = total === null ? undefined : percent(done, total);
  return (
    <div
      className={`progress${value === undefined ? ' progress--indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value === undefined ? undefined : Math.round(value)}
    >
      <div className="progress__fill" style={value === undefined ? undefined : { width: `${value}%` }} />
    </div>
  );
}
