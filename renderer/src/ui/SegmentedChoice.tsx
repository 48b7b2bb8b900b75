/**
 * One of a few choices as a row of buttons (a radio group: arrow keys are not needed for two to four
 * options, Tab reaches each). Every segmented choice of a form uses this, so they look and read the same.
 */
export function SegmentedChoice<T extends string>({
  options,
  value,
  onChange,
  labelledBy,
  label,
  testId,
}: {
  readonly options: ReadonlyArray<readonly [T, string]>;
  readonly value: T;
  readonly onChange: (value: T) => void;
  /** The id of the visible label, or `label` when there is none. */
  readonly labelledBy?: string;
  readonly label?: string;
  /** data-testid of each option, from its value. */
  readonly testId?: (value: T) => string;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-labelledby={labelledBy} aria-label={labelledBy === undefined ? label : undefined}>
      {options.map(([option, text]) => (
        <button
          key={option}
          type="button"
          role="radio"
          aria-checked={option === value}
          className={`segmented__item${option === value ? ' segmented__item--on' : ''}`}
          onClick={() => onChange(option)}
          data-testid={testId?.(option)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
