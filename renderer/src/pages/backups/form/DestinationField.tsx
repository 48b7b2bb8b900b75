import { useId } from 'react';

/** A folder of archives (a backup's destination by default): typed, or picked from the folders the catalog already knows. */
export function DestinationField({
  id,
  value,
  onChange,
  folders,
  testId,
  error,
  label = 'Destination folder',
  hint = 'An absolute path on the machine running the console; created if missing.',
}: {
  readonly id: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly folders: readonly string[];
  readonly testId?: string;
  readonly error?: string;
  readonly label?: string;
  readonly hint?: string;
}) {
  const list = useId();
  return (
    <label className="field" htmlFor={id}>
      <span className="field__label">{label}</span>
      <input
        id={id}
        className={`input mono${error === undefined ? '' : ' input--invalid'}`}
        list={list}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="/var/backups/pconsole"
        spellCheck={false}
        autoComplete="off"
        data-testid={testId}
        aria-invalid={error !== undefined}
      />
      <datalist id={list}>
        {folders.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {error !== undefined ? <span className="field__error">{error}</span> : <span className="field__hint">{hint}</span>}
    </label>
  );
}
