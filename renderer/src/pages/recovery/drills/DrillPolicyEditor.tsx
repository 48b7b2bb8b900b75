import { useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import type { DrillPolicy } from '../../../../../shared/recovery.js';
import { useApiMutation } from '../../../api/hooks.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { Panel } from '../../../ui/Panel.js';
import { DestinationField } from '../../backups/form/DestinationField.js';
import { CronField } from '../../backups/schedules/CronField.js';
import { fieldErrors, timeZones } from '../../backups/schedules/scheduleForm.js';
import { drillFormOf, drillPolicyInputOf, newDrillForm, type DrillForm } from './drillForm.js';
import { SegmentedChoice } from '../../../ui/SegmentedChoice.js';
import { FormField } from '../../../ui/FormField.js';

/**
 * The drill policy: when (cron, with its next runs in words), from which folder, with which key file
 * (a path, never the secret), how old the last drill may get, and the RTO and RPO targets.
 */
export function DrillPolicyEditor({ policy, folders, hostZone, onDone }: { readonly policy: DrillPolicy | null; readonly folders: readonly string[]; readonly hostZone: string; readonly onDone: () => void }) {
  const id = useId();
  const initial = useMemo(() => (policy === null ? newDrillForm(folders[0] ?? '', hostZone) : drillFormOf(policy, hostZone)), [policy, folders, hostZone]);
  const [form, setForm] = useState<DrillForm>(initial);
  const save = useApiMutation('recovery.saveDrillPolicy');
  const queryClient = useQueryClient();
  const zones = useMemo(() => timeZones(), []);
  const errors = fieldErrors(save.error, 'policy');
  const set = <K extends keyof DrillForm>(key: K, value: DrillForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const changed = JSON.stringify(form) !== JSON.stringify(initial);

  return (
    <Panel title={policy === null ? 'Set a drill policy' : 'Edit the drill policy'} className="schedule-editor" testId="drill-policy-editor">
      <form
        className="schedule-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!save.isPending)
            save.mutate(
              { policy: drillPolicyInputOf(form) },
              {
                onSuccess: () => {
                  void queryClient.invalidateQueries({ queryKey: ['recovery.drillStatus'] });
                  onDone();
                },
              },
            );
        }}
      >
        <div className="schedule-form__col">
          <CronField id={`${id}-cron`} value={form.cron} timezone={form.timezone} onChange={(cron) => set('cron', cron)} error={errors.get('cron')} />
          <FormField label="Time zone" htmlFor={`${id}-tz`} hint={`For the cron expression. This server runs in ${hostZone}.`} error={errors.get('timezone')}>
            <input id={`${id}-tz`} className="input" list={`${id}-zones`} value={form.timezone} onChange={(e) => set('timezone', e.target.value)} placeholder={hostZone} spellCheck={false} data-testid="drill-timezone" />
            <datalist id={`${id}-zones`}>
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </FormField>
          <DestinationField
            id={`${id}-dir`}
            value={form.backupsDir}
            onChange={(v) => set('backupsDir', v)}
            folders={folders}
            label="Backups folder"
            hint="The folder of archives the drill restores its newest complete chain from (absolute, on the machine running the console)."
            error={errors.get('backupsDir')}
            testId="drill-backups-dir"
          />
          <div className="field">
            <span className="field__label" id={`${id}-key`}>
              Key for encrypted archives
            </span>
            <SegmentedChoice
              options={[
                ['none', 'None'],
                ['passphrase-file', 'Passphrase file'],
                ['identity-file', 'Identity file'],
              ]}
              value={form.keyKind}
              onChange={(kind) => set('keyKind', kind)}
              labelledBy={`${id}-key`}
            />
            {form.keyKind !== 'none' && (
              <input className="input mono" aria-label={form.keyKind === 'passphrase-file' ? 'Passphrase file' : 'Identity file'} value={form.keyPath} onChange={(e) => set('keyPath', e.target.value)} placeholder="/etc/pconsole/backup-key" spellCheck={false} data-testid="drill-key-path" />
            )}
            {errors.get('key') !== undefined ? (
              <span className="field__error">{errors.get('key')}</span>
            ) : (
              <span className="field__hint">The file is read at each drill; the policy stores only its path, never the key.</span>
            )}
          </div>
        </div>
        <div className="schedule-form__col">
          <FormField label="Warn when the last good drill is older than" htmlFor={`${id}-age`} hint="Overview and the navigation warn past this age." error={errors.get('maxAgeHours')}>
            <div className="field__inline">
              <input id={`${id}-age`} className="input input--number" inputMode="numeric" value={form.maxAgeHours} onChange={(e) => set('maxAgeHours', e.target.value)} data-testid="drill-max-age" />
              <span className="muted">hours</span>
            </div>
          </FormField>
          <FormField label="RTO target" htmlFor={`${id}-rto`} hint="How long a restore may take, start to verified store: drills are judged against it." error={errors.get('rtoTargetMinutes')}>
            <div className="field__inline">
              <input id={`${id}-rto`} className="input input--number" inputMode="numeric" value={form.rtoTargetMinutes} onChange={(e) => set('rtoTargetMinutes', e.target.value)} placeholder="—" data-testid="drill-rto-target" />
              <span className="muted">minutes</span>
            </div>
          </FormField>
          <FormField label="RPO target" htmlFor={`${id}-rpo`} hint="How old the newest restored event may be when the drill ends." error={errors.get('rpoTargetMinutes')}>
            <div className="field__inline">
              <input id={`${id}-rpo`} className="input input--number" inputMode="numeric" value={form.rpoTargetMinutes} onChange={(e) => set('rpoTargetMinutes', e.target.value)} placeholder="—" data-testid="drill-rpo-target" />
              <span className="muted">minutes</span>
            </div>
          </FormField>
          <FormField label="Scratch folder" htmlFor={`${id}-scratch`} hint="Where the test restore is built and then deleted. Empty: the system's temporary folder." error={errors.get('scratchDir')}>
            <input id={`${id}-scratch`} className="input mono" value={form.scratchDir} onChange={(e) => set('scratchDir', e.target.value)} placeholder="(temporary folder)" spellCheck={false} />
          </FormField>
          <label className="check">
            <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} data-testid="drill-enabled" />
            Run drills on this schedule
          </label>
        </div>
        <div className="form-actions schedule-form__actions">
          <button type="submit" className="button button--primary" disabled={save.isPending || (!changed && policy !== null)} data-testid="drill-policy-save">
            {save.isPending ? 'Saving…' : policy === null ? 'Save the policy' : 'Save changes'}
          </button>
          <button type="button" className="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
      {save.error !== null && errors.size === 0 && <ErrorPanel error={save.error} title="The policy could not be saved" />}
    </Panel>
  );
}
