import { useId, useMemo, useState } from 'react';
import type { DrillPolicy } from '../../../../../shared/recovery.js';
import { useInputForm } from '../../../api/useInputForm.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { FieldNote, FormField, FormIssues, NumberField, SaveButton } from '../../../ui/FormField.js';
import { formChanged } from '../../../ui/formText.js';
import { Panel } from '../../../ui/Panel.js';
import { SegmentedChoice } from '../../../ui/SegmentedChoice.js';
import { DestinationField } from '../../backups/form/DestinationField.js';
import { TimeZoneField } from '../../backups/form/TimeZoneField.js';
import { CronField } from '../../backups/schedules/CronField.js';
import { DRILL_POLICY_ISSUES, drillFormOf, KEY_CHOICES, newDrillForm, saveDrillPolicyInput, type DrillForm } from './drillForm.js';

/**
 * The drill policy: when (cron, with its next runs in words), from which folder, with which key file
 * (a path, never the secret), how old the last drill may get, and the RTO and RPO targets. Checked with
 * the contract's schema before it is sent; what main refuses is shown beside its field.
 */
export function DrillPolicyEditor({ policy, folders, hostZone, onDone }: { readonly policy: DrillPolicy | null; readonly folders: readonly string[]; readonly hostZone: string; readonly onDone: () => void }) {
  const id = useId();
  const initial = useMemo(() => (policy === null ? newDrillForm(folders[0] ?? '', hostZone) : drillFormOf(policy, hostZone)), [policy, folders, hostZone]);
  const [form, setForm] = useState<DrillForm>(initial);
  const save = useInputForm('recovery.saveDrillPolicy', saveDrillPolicyInput(form), DRILL_POLICY_ISSUES);
  const { issues } = save;
  const pending = save.mutation.isPending;
  const set = <K extends keyof DrillForm>(key: K, value: DrillForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const changed = formChanged(form, initial);

  return (
    <Panel title={policy === null ? 'Set a drill policy' : 'Edit the drill policy'} className="schedule-editor" testId="drill-policy-editor">
      <form
        className="schedule-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!pending) save.submit({ onSuccess: onDone });
        }}
        noValidate
      >
        <div className="schedule-form__col">
          <CronField id={`${id}-cron`} value={form.cron} timezone={form.timezone} onChange={(cron) => set('cron', cron)} error={issues.at('cron')} />
          <TimeZoneField id={`${id}-tz`} value={form.timezone} onChange={(zone) => set('timezone', zone)} hostZone={hostZone} what="the cron expression" error={issues.at('timezone')} testId="drill-timezone" />
          <DestinationField
            id={`${id}-dir`}
            value={form.backupsDir}
            onChange={(v) => set('backupsDir', v)}
            folders={folders}
            label="Backups folder"
            hint="The folder of archives the drill restores its newest complete chain from (absolute, on the machine running the console)."
            error={issues.at('backupsDir')}
            testId="drill-backups-dir"
          />
          <div className="field">
            <span className="field__label" id={`${id}-key`}>
              Key for encrypted archives
            </span>
            <SegmentedChoice options={KEY_CHOICES} value={form.keyKind} onChange={(kind) => set('keyKind', kind)} labelledBy={`${id}-key`} />
            {form.keyKind !== 'none' && (
              <input
                className={`input mono${issues.at('key') === undefined ? '' : ' input--invalid'}`}
                aria-label={form.keyKind === 'passphrase-file' ? 'Passphrase file' : 'Identity file'}
                value={form.keyPath}
                onChange={(e) => set('keyPath', e.target.value)}
                placeholder="/etc/pconsole/backup-key"
                spellCheck={false}
                data-testid="drill-key-path"
              />
            )}
            <FieldNote error={issues.at('key')} hint="The file is read at each drill; the policy stores only its path, never the key." />
          </div>
        </div>
        <div className="schedule-form__col">
          <NumberField id={`${id}-age`} label="Warn when the last good drill is older than" unit="hours" value={form.maxAgeHours} onChange={(t) => set('maxAgeHours', t)} placeholder="" hint="Overview and the navigation warn past this age." error={issues.at('maxAgeHours')} testId="drill-max-age" />
          <NumberField id={`${id}-rto`} label="RTO target" unit="minutes" value={form.rtoTargetMinutes} onChange={(t) => set('rtoTargetMinutes', t)} hint="How long a restore may take, start to verified store: drills are judged against it." error={issues.at('rtoTargetMinutes')} testId="drill-rto-target" />
          <NumberField id={`${id}-rpo`} label="RPO target" unit="minutes" value={form.rpoTargetMinutes} onChange={(t) => set('rpoTargetMinutes', t)} hint="How old the newest restored event may be when the drill ends." error={issues.at('rpoTargetMinutes')} testId="drill-rpo-target" />
          <FormField label="Scratch folder" htmlFor={`${id}-scratch`} hint="Where the test restore is built and then deleted. Empty: the system's temporary folder." error={issues.at('scratchDir')}>
            <input id={`${id}-scratch`} className="input mono" value={form.scratchDir} onChange={(e) => set('scratchDir', e.target.value)} placeholder="(temporary folder)" spellCheck={false} />
          </FormField>
          <label className="check">
            <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} data-testid="drill-enabled" />
            Run drills on this schedule
          </label>
        </div>
        <div className="form-actions schedule-form__actions">
          <SaveButton pending={pending} isNew={policy === null} changed={changed} newLabel="Save the policy" testId="drill-policy-save" />
          <button type="button" className="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
      <FormIssues issues={issues} refused="The policy was not saved" testId="drill-policy-issues" />
      {save.error !== null && <ErrorPanel error={save.error} title="The policy could not be saved" />}
    </Panel>
  );
}
