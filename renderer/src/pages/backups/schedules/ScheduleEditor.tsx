import { useId, useState } from 'react';
import type { ScheduleView } from '../../../../../shared/api/backupTypes.js';
import { useInputForm } from '../../../api/useInputForm.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { FieldNote, FormField, FormIssues, NumberField, SaveButton } from '../../../ui/FormField.js';
import { formChanged } from '../../../ui/formText.js';
import { Panel } from '../../../ui/Panel.js';
import { SegmentedChoice } from '../../../ui/SegmentedChoice.js';
import { DestinationField } from '../form/DestinationField.js';
import { TimeZoneField } from '../form/TimeZoneField.js';
import { BACKUP_KINDS } from '../labels.js';
import { RetentionFields } from '../retention/RetentionFields.js';
import { retentionIssue } from '../retention/retentionPolicy.js';
import { CronField } from './CronField.js';
import { DeleteSchedule } from './DeleteSchedule.js';
import { saveScheduleInput, SCHEDULE_ISSUES, type ScheduleForm } from './scheduleForm.js';
import { ScheduleEncryptionField, WindowFieldset } from './ScheduleFields.js';

/**
 * Create or change a schedule: when (cron, with its next runs in words; time zone; a window), what (full
 * or incremental, where, encrypted with a key file or a recipient — never a secret), and what follows
 * (verification, retention, the RPO target). The input is checked with the contract's schema before it is
 * sent; what main refuses is shown beside its field. Delete asks for the schedule's name.
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
  const save = useInputForm('backup.saveSchedule', saveScheduleInput(form, schedule?.id), SCHEDULE_ISSUES);
  const { issues } = save;
  const pending = save.mutation.isPending;
  const set = <K extends keyof ScheduleForm>(key: K, value: ScheduleForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const changed = formChanged(form, initial);

  return (
    <Panel title={schedule === undefined ? 'New schedule' : `Edit “${schedule.name}”`} className="schedule-editor" testId="schedule-editor">
      <form
        className="schedule-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!pending) save.submit({ onSuccess: (saved) => onSaved(saved.id) });
        }}
        noValidate
      >
        <div className="schedule-form__col">
          <FormField label="Name" htmlFor={`${id}-name`} error={issues.at('name')}>
            <input id={`${id}-name`} className={`input${issues.at('name') === undefined ? '' : ' input--invalid'}`} value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="Nightly full" data-testid="schedule-name" />
          </FormField>
          <CronField id={`${id}-cron`} value={form.cron} timezone={form.timezone} onChange={(cron) => set('cron', cron)} error={issues.at('cron')} />
          <TimeZoneField id={`${id}-tz`} value={form.timezone} onChange={(zone) => set('timezone', zone)} hostZone={hostZone} what="the cron expression and the window" error={issues.at('timezone')} testId="schedule-timezone" />
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
          <DestinationField id={`${id}-dest`} value={form.destination} onChange={(v) => set('destination', v)} folders={folders} testId="schedule-destination" error={issues.at('destination')} />
          <ScheduleEncryptionField form={form} set={set} error={issues.at('encryption')} />
        </div>

        <div className="schedule-form__col">
          <WindowFieldset form={form} set={set} error={issues.at('window')} />
          <fieldset className="fieldset">
            <legend>Retention after each run</legend>
            <RetentionFields value={form.retention} onChange={(rule, text) => set('retention', { ...form.retention, [rule]: text })} invalid={(rule) => issues.at(`retention.${rule}`) !== undefined} testId={(rule) => `schedule-${rule}`} />
            <FieldNote error={retentionIssue(issues, 'retention')} hint="Empty: nothing is pruned. An archive a kept archive’s restore chain needs is never pruned." />
          </fieldset>
          <NumberField
            id={`${id}-rpo`}
            label="RPO target"
            unit="minutes"
            value={form.rpoMinutes}
            onChange={(text) => set('rpoMinutes', text)}
            hint="The newest verified backup may be this old: amber past 80%, red past it. A run missed while the console was closed runs at start if waiting would break it."
            error={issues.at('rpoMinutes')}
            testId="schedule-rpo"
          />
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
          <SaveButton pending={pending} isNew={schedule === undefined} changed={changed} newLabel="Create schedule" testId="schedule-save" />
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
      <FormIssues issues={issues} refused="The schedule was not saved" testId="schedule-issues" />
      {save.error !== null && <ErrorPanel error={save.error} title="The schedule was not saved" />}
      {schedule !== undefined && confirmDelete && <DeleteSchedule schedule={schedule} onDeleted={onDeleted} onCancel={() => setConfirmDelete(false)} />}
    </Panel>
  );
}
