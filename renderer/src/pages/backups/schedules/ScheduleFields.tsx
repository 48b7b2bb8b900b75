import { useId } from 'react';
import { FieldNote } from '../../../ui/FormField.js';
import { SegmentedChoice } from '../../../ui/SegmentedChoice.js';
import { ENCRYPTION_CHOICES, ENCRYPTION_HINTS, type ScheduleForm } from './scheduleForm.js';

type SetField = <K extends keyof ScheduleForm>(key: K, value: ScheduleForm[K]) => void;

/** How a schedule encrypts its archives: a passphrase file or a recipient, never the secret itself. */
export function ScheduleEncryptionField({ form, set, error }: { readonly form: ScheduleForm; readonly set: SetField; readonly error?: string }) {
  const id = useId();
  const invalid = error === undefined ? '' : ' input--invalid';
  return (
    <div className="field">
      <span className="field__label" id={`${id}-enc`}>
        Encryption
      </span>
      <SegmentedChoice options={ENCRYPTION_CHOICES} value={form.encryption} onChange={(value) => set('encryption', value)} labelledBy={`${id}-enc`} />
      {form.encryption === 'age-passphrase' && (
        <input className={`input mono${invalid}`} aria-label="Passphrase file" value={form.passphraseFile} onChange={(e) => set('passphraseFile', e.target.value)} placeholder="/etc/pconsole/backup-passphrase" spellCheck={false} data-testid="schedule-passphrase-file" />
      )}
      {form.encryption === 'age-recipient' && <input className={`input mono${invalid}`} aria-label="age recipient" value={form.recipient} onChange={(e) => set('recipient', e.target.value)} placeholder="age1…" spellCheck={false} data-testid="schedule-recipient" />}
      <FieldNote error={error} hint={ENCRYPTION_HINTS[form.encryption]} />
    </div>
  );
}

/** The hours runs may start in (local time of the schedule; may cross midnight). */
export function WindowFieldset({ form, set, error }: { readonly form: ScheduleForm; readonly set: SetField; readonly error?: string }) {
  return (
    <fieldset className="fieldset">
      <legend>Backup window</legend>
      <label className="check">
        <input type="checkbox" checked={form.windowOn} onChange={(e) => set('windowOn', e.target.checked)} data-testid="schedule-window-on" />
        Only start runs inside a window
      </label>
      <div className="field__inline">
        <input type="time" className="input input--time" aria-label="Window start" value={form.windowStart} disabled={!form.windowOn} onChange={(e) => set('windowStart', e.target.value)} data-testid="schedule-window-start" />
        <span className="muted">to</span>
        <input type="time" className="input input--time" aria-label="Window end" value={form.windowEnd} disabled={!form.windowOn} onChange={(e) => set('windowEnd', e.target.value)} data-testid="schedule-window-end" />
      </div>
      <FieldNote error={error} hint="Local time of the schedule; a window may cross midnight (22:00 to 04:00)." />
    </fieldset>
  );
}
