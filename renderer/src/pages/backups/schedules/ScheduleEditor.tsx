import { useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import type { ScheduleView } from '../../../../../shared/api/backupTypes.js';
import { useApiMutation } from '../../../api/hooks.js';
import { ConfirmByTyping } from '../../../ui/ConfirmByTyping.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { Panel } from '../../../ui/Panel.js';
import { SegmentedChoice } from '../../../ui/SegmentedChoice.js';
import { BACKUP_QUERIES } from '../data.js';
import { BACKUP_KINDS } from '../labels.js';
import { DestinationField } from '../form/DestinationField.js';
import { CronField } from './CronField.js';
import { fieldErrors, inputOf, timeZones, type ScheduleForm } from './scheduleForm.js';
import { FormField } from '../../../ui/FormField.js';

/**
 * Create or change a schedule: when (cron, with its next runs in words; time zone; a window), what (full
 * or incremental, where, encrypted with a key file or a recipient — never a secret), and what follows
 * (verification, retention, the RPO target). Delete asks for the schedule's name.
 */
export function ScheduleEditor({
  schedule,
  initial,
  folders,
  hostZone,
  onSaved,
  onDeleted,
  onCancel,
  onRunNow,
  runDisabled,
}: {
  readonly schedule: ScheduleView | undefined;
  readonly initial: ScheduleForm;
  readonly folders: readonly string[];
  readonly hostZone: string;
  readonly onSaved: (id: string) => void;
  readonly onDeleted: () => void;
  readonly onCancel: () => void;
  readonly onRunNow: () => void;
  readonly runDisabled: boolean;
}) {
  const id = useId();
  const [form, setForm] = useState<ScheduleForm>(initial);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const save = useApiMutation('backup.saveSchedule');
  const remove = useApiMutation('backup.deleteSchedule');
  const queryClient = useQueryClient();
  const zones = useMemo(() => timeZones(), []);
  const errors = fieldErrors(save.error);
  const set = <K extends keyof ScheduleForm>(key: K, value: ScheduleForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const changed = JSON.stringify(form) !== JSON.stringify(initial);
  const refresh = () => {
    for (const method of BACKUP_QUERIES) void queryClient.invalidateQueries({ queryKey: [method] });
  };

  const submit = () =>
    save.mutate(
      schedule === undefined ? { schedule: inputOf(form) } : { id: schedule.id, schedule: inputOf(form) },
      {
        onSuccess: (saved) => {
          refresh();
          onSaved(saved.id);
        },
      },
    );

  return (
    <Panel title={schedule === undefined ? 'New schedule' : `Edit “${schedule.name}”`} className="schedule-editor" testId="schedule-editor">
      <form
        className="schedule-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!save.isPending) submit();
        }}
      >
        <div className="schedule-form__col">
          <FormField label="Name" htmlFor={`${id}-name`} error={errors.get('name')}>
            <input id={`${id}-name`} className="input" value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="Nightly full" data-testid="schedule-name" />
          </FormField>
          <CronField id={`${id}-cron`} value={form.cron} timezone={form.timezone} onChange={(cron) => set('cron', cron)} error={errors.get('cron')} />
          <FormField label="Time zone" htmlFor={`${id}-tz`} hint={`For the cron expression and the window. This server runs in ${hostZone}.`} error={errors.get('timezone')}>
            <input id={`${id}-tz`} className="input" list={`${id}-zones`} value={form.timezone} onChange={(e) => set('timezone', e.target.value)} placeholder={hostZone} spellCheck={false} data-testid="schedule-timezone" />
            <datalist id={`${id}-zones`}>
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </FormField>
          <div className="field">
            <span className="field__label" id={`${id}-kind`}>
              Kind
            </span>
            <SegmentedChoice options={BACKUP_KINDS} value={form.kind} onChange={(k) => set('kind', k)} labelledBy={`${id}-kind`} testId={(k) => `schedule-kind-${k}`} />
            {form.kind === 'incremental' && (
              <label className="check">
                <input type="checkbox" checked={form.fullWhenNoChain} onChange={(e) => set('fullWhenNoChain', e.target.checked)} />
                Take a full backup when the destination has no chain to continue
              </label>
            )}
          </div>
          <DestinationField id={`${id}-dest`} value={form.destination} onChange={(v) => set('destination', v)} folders={folders} testId="schedule-destination" error={errors.get('destination')} />
          <div className="field">
            <span className="field__label" id={`${id}-enc`}>
              Encryption
            </span>
            <SegmentedChoice
              options={[
                ['none', 'None'],
                ['age-passphrase', 'Passphrase file'],
                ['age-recipient', 'age recipient'],
              ]}
              value={form.encryption}
              onChange={(value) => set('encryption', value)}
              labelledBy={`${id}-enc`}
            />
            {form.encryption === 'age-passphrase' && (
              <input className="input mono" aria-label="Passphrase file" value={form.passphraseFile} onChange={(e) => set('passphraseFile', e.target.value)} placeholder="/etc/pconsole/backup-passphrase" spellCheck={false} />
            )}
            {form.encryption === 'age-recipient' && <input className="input mono" aria-label="age recipient" value={form.recipient} onChange={(e) => set('recipient', e.target.value)} placeholder="age1…" spellCheck={false} />}
            {errors.get('encryption') !== undefined ? (
              <span className="field__error">{errors.get('encryption')}</span>
            ) : (
              <span className="field__hint">
                {form.encryption === 'none'
                  ? 'Plain .tar.gz archives.'
                  : form.encryption === 'age-passphrase'
                    ? 'The file is read at each run; the schedule stores only its path, never the passphrase.'
                    : 'Only the public key is stored; restoring needs the matching identity.'}
              </span>
            )}
          </div>
        </div>

        <div className="schedule-form__col">
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
            {errors.get('window') !== undefined ? <span className="field__error">{errors.get('window')}</span> : <span className="field__hint">Local time of the schedule; a window may cross midnight (22:00 to 04:00).</span>}
          </fieldset>
          <fieldset className="fieldset">
            <legend>Retention after each run</legend>
            <div className="retention-grid">
              {(
                [
                  ['keepLast', 'Keep last', 'archives'],
                  ['daily', 'Daily', 'days'],
                  ['weekly', 'Weekly', 'weeks'],
                  ['monthly', 'Monthly', 'months'],
                ] as const
              ).map(([key, label, unit]) => (
                <label key={key} className="retention-grid__item">
                  <span className="field__label">{label}</span>
                  <input className="input input--number" inputMode="numeric" value={form[key]} onChange={(e) => set(key, e.target.value)} placeholder="—" aria-label={`${label} (${unit})`} data-testid={`schedule-${key}`} />
                  <span className="muted">{unit}</span>
                </label>
              ))}
            </div>
            {errors.get('retention') !== undefined ? (
              <span className="field__error">{errors.get('retention')}</span>
            ) : (
              <span className="field__hint">Empty: nothing is pruned. An archive a kept archive’s restore chain needs is never pruned.</span>
            )}
          </fieldset>
          <FormField label="RPO target" htmlFor={`${id}-rpo`} hint="The newest verified backup may be this old: amber past 80%, red past it. A run missed while the console was closed runs at start if waiting would break it." error={errors.get('rpoMinutes')}>
            <div className="field__inline">
              <input id={`${id}-rpo`} className="input input--number" inputMode="numeric" value={form.rpoMinutes} onChange={(e) => set('rpoMinutes', e.target.value)} placeholder="—" data-testid="schedule-rpo" />
              <span className="muted">minutes</span>
            </div>
          </FormField>
          <div className="field">
            <label className="check">
              <input type="checkbox" checked={form.verifyAfterBackup} onChange={(e) => set('verifyAfterBackup', e.target.checked)} />
              Verify each new archive (only verified archives count for the RPO)
            </label>
            <label className="check">
              <input type="checkbox" checked={form.includeViews} onChange={(e) => set('includeViews', e.target.checked)} />
              Include views.db in full backups
            </label>
            <label className="check">
              <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} data-testid="schedule-enabled" />
              Enabled
            </label>
          </div>
        </div>

        <div className="form-actions schedule-form__actions">
          <button type="submit" className="button button--primary" disabled={save.isPending || (!changed && schedule !== undefined)} data-testid="schedule-save">
            {save.isPending ? 'Saving…' : schedule === undefined ? 'Create schedule' : 'Save changes'}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            {schedule === undefined || changed ? 'Cancel' : 'Close'}
          </button>
          {schedule !== undefined && (
            <>
              <span className="toolbar-spacer" />
              <button type="button" className="button" onClick={onRunNow} disabled={runDisabled || changed} title={changed ? 'Save the changes first' : undefined}>
                Run now
              </button>
              <button type="button" className="button button--quiet tone-bad" onClick={() => setConfirmDelete(true)} data-testid="schedule-delete">
                Delete…
              </button>
            </>
          )}
        </div>
      </form>
      {save.error !== null && errors.size === 0 && <ErrorPanel error={save.error} title="The schedule was not saved" />}
      {save.error !== null && errors.size > 0 && <p className="field__error">The schedule was not saved: correct the fields marked above.</p>}
      {schedule !== undefined && confirmDelete && (
        <ConfirmByTyping
          title={`Delete the schedule “${schedule.name}”?`}
          expected={schedule.name}
          what="the schedule's name"
          confirmLabel="Delete schedule"
          busy={remove.isPending}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() =>
            remove.mutate(
              { id: schedule.id },
              {
                onSuccess: () => {
                  refresh();
                  onDeleted();
                },
              },
            )
          }
          testId="confirm-delete-schedule"
        >
          <p>
            No more backups will start from it. Its archives in <span className="mono">{schedule.destination}</span> stay where they are, and its run history is kept.
            {schedule.rpoMinutes !== null && ' Its RPO target no longer applies.'}
          </p>
          {remove.error !== null && <ErrorPanel error={remove.error} title="The schedule was not deleted" />}
        </ConfirmByTyping>
      )}
    </Panel>
  );
}
