import { keepPreviousData } from '@tanstack/react-query';
import { useApiQuery } from '../../../api/hooks.js';
import { Spinner } from '../../../ui/Skeleton.js';
import { useDebounced } from '../../../ui/useDebounced.js';

const PRESETS: ReadonlyArray<readonly [string, string]> = [
  ['Every 15 min', '*/15 * * * *'],
  ['Hourly', '0 * * * *'],
  ['Nightly 02:00', '0 2 * * *'],
  ['Weekdays 22:00', '0 22 * * 1-5'],
  ['Sundays 03:00', '0 3 * * 0'],
];

/**
 * The cron expression with its meaning as you type: a summary, the next five runs in words in the
 * schedule's time zone, or why the server cannot read it.
 */
export function CronField({ id, value, timezone, onChange, error }: { readonly id: string; readonly value: string; readonly timezone: string; readonly onChange: (cron: string) => void; readonly error?: string }) {
  const cron = useDebounced(value.trim(), 250);
  const zone = useDebounced(timezone.trim(), 250);
  const described = useApiQuery('backup.describeCron', zone === '' ? { cron } : { cron, timezone: zone }, { enabled: cron !== '', placeholderData: keepPreviousData, staleTime: 30_000 });
  const data = cron === '' ? undefined : described.data;
  const pending = value.trim() !== cron || timezone.trim() !== zone || described.isFetching;
  return (
    <div className="field cron-field">
      <label className="field__label" htmlFor={id}>
        Cron expression <span className="muted">(minute hour day month weekday)</span>
      </label>
      <input
        id={id}
        className={`input mono${data?.valid === false || error !== undefined ? ' input--invalid' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        autoComplete="off"
        aria-describedby={`${id}-words`}
        aria-invalid={data?.valid === false}
        data-testid="cron-input"
      />
      <div className="cron-field__presets" role="group" aria-label="Common schedules">
        {PRESETS.map(([label, expression]) => (
          <button key={expression} type="button" className={`chip${value.trim() === expression ? ' chip--on' : ''}`} onClick={() => onChange(expression)}>
            {label}
          </button>
        ))}
      </div>
      <div className="cron-field__words" id={`${id}-words`} aria-live="polite" data-testid="cron-description" data-valid={data?.valid}>
        {value.trim() === '' ? (
          <span className="muted">Type a cron expression, e.g. 0 2 * * * for every night at 02:00.</span>
        ) : data === undefined ? (
          described.error !== null ? (
            <span className="tone-bad">{described.error.message}</span>
          ) : (
            <Spinner label="Reading the expression" />
          )
        ) : !data.valid ? (
          <span className="field__error" data-testid="cron-error">
            {data.error}
          </span>
        ) : (
          <>
            <div className="cron-field__summary">
              {data.summary === null ? 'Runs at:' : <strong>Runs {data.summary}</strong>}
              {zone !== '' && <span className="muted"> · {zone}</span>}
              {pending && <Spinner label="Updating" />}
            </div>
            <ol className="cron-field__runs" data-testid="cron-next-runs">
              {data.nextRuns.map((r) => (
                <li key={r.at} title={r.at}>
                  {r.words}
                </li>
              ))}
            </ol>
            {data.nextRuns.length === 0 && <span className="tone-warn">This expression never runs again.</span>}
          </>
        )}
        {error !== undefined && <span className="field__error">{error}</span>}
      </div>
    </div>
  );
}
