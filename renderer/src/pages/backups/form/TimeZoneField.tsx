import { useId, useMemo } from 'react';
import { FormField } from '../../../ui/FormField.js';
import { timeZones } from '../../../ui/formText.js';

/** An IANA time zone, typed with the browser's zones as suggestions; empty means the host's zone. */
export function TimeZoneField({ id, value, onChange, hostZone, what, error, testId }: { readonly id: string; readonly value: string; readonly onChange: (zone: string) => void; readonly hostZone: string; readonly what: string; readonly error?: string; readonly testId?: string }) {
  const list = useId();
  const zones = useMemo(() => timeZones(), []);
  return (
    <FormField label="Time zone" htmlFor={id} hint={`For ${what}. This server runs in ${hostZone}.`} error={error}>
      <input id={id} className={`input${error === undefined ? '' : ' input--invalid'}`} list={list} value={value} onChange={(e) => onChange(e.target.value)} placeholder={hostZone} spellCheck={false} aria-invalid={error !== undefined} data-testid={testId} />
      <datalist id={list}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </FormField>
  );
}
