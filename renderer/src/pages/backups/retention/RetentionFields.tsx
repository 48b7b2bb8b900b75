import { RETENTION_RULES, type RetentionRule, type RetentionText } from './retentionPolicy.js';

/** The rules of a retention policy side by side (a schedule's retention, the Retention tab's dry run). */
export function RetentionFields({
  value,
  onChange,
  invalid = () => false,
  testId,
}: {
  readonly value: RetentionText;
  readonly onChange: (rule: RetentionRule, text: string) => void;
  /** Whether a rule's value was refused (its message is shown under the fields). */
  readonly invalid?: (rule: RetentionRule) => boolean;
  readonly testId: (rule: RetentionRule) => string;
}) {
  return (
    <div className="retention-grid">
      {RETENTION_RULES.map(([rule, label, unit]) => (
        <label key={rule} className="retention-grid__item">
          <span className="field__label">{label}</span>
          <input
            className={`input input--number${invalid(rule) ? ' input--invalid' : ''}`}
            inputMode="numeric"
            value={value[rule]}
            onChange={(e) => onChange(rule, e.target.value)}
            placeholder="—"
            aria-label={`${label} (${unit})`}
            aria-invalid={invalid(rule)}
            data-testid={testId(rule)}
          />
          <span className="muted">{unit}</span>
        </label>
      ))}
    </div>
  );
}
