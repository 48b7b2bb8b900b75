import { describe, expect, it } from 'vitest';
import type { ScheduleView } from '../../shared/api/backupTypes.js';
import { ConsoleError } from '../../shared/errors.js';
import { invalidInput, underPath } from '../../shared/validation.js';
import { backupScheduleInputSchema } from '../../shared/backup.js';
import { checkInput, issuesOfError, placeIssues } from '../../renderer/src/api/inputIssues.js';
import { numberOrNull } from '../../renderer/src/ui/formText.js';
import { newScheduleForm, saveScheduleInput, SCHEDULE_ISSUES, scheduleFormOf, type ScheduleForm } from '../../renderer/src/pages/backups/schedules/scheduleForm.js';
import { DRILL_POLICY_ISSUES, newDrillForm, saveDrillPolicyInput } from '../../renderer/src/pages/recovery/drills/drillForm.js';
import { createBackupInput, RUN_BACKUP_ISSUES, runBackupIssues, type RunBackupForm } from '../../renderer/src/pages/backups/run/runBackupForm.js';
import { retentionIssue, retentionIssueFields, retentionOf, retentionRows, retentionTextOf } from '../../renderer/src/pages/backups/retention/retentionPolicy.js';
import { fakeEntry } from '../helpers/backup-entries.js';

// Forms check their input with the contract's schemas before sending, and place main's `details.issues`.
const RECIPIENT = `age1${'q'.repeat(58)}`;
const placed = (issues: Parameters<typeof placeIssues>[0], options: { under: readonly string[]; fields: readonly string[] }) => placeIssues(issues, options.under, options.fields);

describe('the schedule form', () => {
  const form = (changes: Partial<ScheduleForm>): ScheduleForm => ({ ...newScheduleForm('/var/backups', 'UTC'), name: 'Nightly', ...changes });

  it('makes the input main takes, and a form read back from a schedule makes the same one', () => {
    const typed = form({ windowOn: true, retention: { keepLast: '14', daily: ' 7 ', weekly: '', monthly: '' }, rpoMinutes: '60', encryption: 'age-recipient', recipient: ` ${RECIPIENT} ` });
    const input = saveScheduleInput(typed);
    expect(checkInput('backup.saveSchedule', input)).toEqual([]);
    expect(input.schedule).toMatchObject({ name: 'Nightly', timezone: 'UTC', window: { start: '01:00', end: '05:00' }, retention: { keepLast: 14, daily: 7 }, rpoMinutes: 60, encryption: { kind: 'age-recipient', recipient: RECIPIENT } });
    const saved: ScheduleView = { ...backupScheduleInputSchema.parse(input.schedule), id: 's1', createdAt: '', updatedAt: '', nextRuns: [], lastRun: null };
    expect(saveScheduleInput(scheduleFormOf(saved, 'UTC'), 's1')).toEqual({ id: 's1', schedule: input.schedule });
  });

  it('names each field it refuses, in a form’s words, beside that field', () => {
    const input = saveScheduleInput(form({ name: ' ', destination: '', encryption: 'age-recipient', recipient: 'age1nope', windowOn: true, windowEnd: '01:00', retention: { keepLast: '0', daily: '', weekly: 'x', monthly: '' }, rpoMinutes: '1.5' }));
    const issues = placed(checkInput('backup.saveSchedule', input), SCHEDULE_ISSUES);
    expect(issues.at('name')).toBe('required');
    expect(issues.at('destination')).toBe('required');
    expect(issues.at('encryption')).toBe('an X25519 age recipient (age1…, 62 characters)');
    expect(issues.at('window')).toBe('a window needs different start and end times');
    expect(issues.at('retention.keepLast')).toBe('at least 1');
    expect(issues.at('retention.weekly')).toBe('a whole number');
    expect(retentionIssue(issues, 'retention')).toBe('Keep last: at least 1');
    expect(issues.at('rpoMinutes')).toBe('a whole number');
    expect(issues.at('cron')).toBeUndefined();
    expect(issues.unplaced).toEqual([]);
  });

  it('places what main refuses by the paths of details.issues (from the top of the call’s input)', () => {
    const refused = underPath(new ConsoleError('INVALID_INPUT', 'cron: bad', { issues: [{ path: ['cron'], message: 'not a cron expression' }] }), ['schedule']);
    const issues = placed(issuesOfError(refused), SCHEDULE_ISSUES);
    expect(issues.at('cron')).toBe('not a cron expression');
    expect(issues.count).toBe(1);
    // Issues about no field the form shows are listed apart; other errors carry none.
    expect(placed([{ path: ['schedule'], message: 'whole thing' }, { path: ['id'], message: 'too long' }], SCHEDULE_ISSUES).unplaced.map((i) => i.message)).toEqual(['whole thing', 'too long']);
    expect(issuesOfError(new ConsoleError('DISK_FULL', 'full'))).toEqual([]);
    expect(issuesOfError(new Error('INVALID_INPUT'))).toEqual([]);
  });
});

describe('placeIssues', () => {
  it('puts an issue on the longest field holding its path, the first message per field', () => {
    const issues = placeIssues(
      [
        { path: ['policy', 'keepLast'], message: 'a' },
        { path: ['policy'], message: 'b' },
        { path: ['policy', 'keepLast'], message: 'c' },
        { path: ['dir'], message: 'd' },
      ],
      [],
      ['dir', ...retentionIssueFields('policy')],
    );
    expect([issues.at('policy.keepLast'), issues.at('policy'), issues.at('dir'), issues.at('policy.daily')]).toEqual(['a', 'b', 'd', undefined]);
    expect(issues.count).toBe(4);
  });

  it('reads issues out of an INVALID_INPUT made from a zod error', () => {
    const parsed = backupScheduleInputSchema.safeParse({});
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(issuesOfError(invalidInput(parsed.error)).map((i) => i.path[0])).toContain('name');
  });
});

describe('the drill policy and run-backup forms', () => {
  it('a drill policy: required hours, optional targets and folders', () => {
    const good = saveDrillPolicyInput(newDrillForm('/var/backups', 'Europe/Paris'));
    expect(checkInput('recovery.saveDrillPolicy', good)).toEqual([]);
    expect(good.policy).toMatchObject({ maxAgeHours: 192, rtoTargetMinutes: null, scratchDir: null, key: { kind: 'none' }, timezone: 'Europe/Paris' });
    const bad = saveDrillPolicyInput({ ...newDrillForm('', ''), maxAgeHours: '', rtoTargetMinutes: '0', keyKind: 'identity-file', keyPath: ' ' });
    const issues = placed(checkInput('recovery.saveDrillPolicy', bad), DRILL_POLICY_ISSUES);
    expect([issues.at('backupsDir'), issues.at('maxAgeHours'), issues.at('rtoTargetMinutes'), issues.at('key'), issues.at('timezone')]).toEqual(['required', 'a whole number', 'at least 1', 'required', undefined]);
  });

  it('a backup now: the secret goes where the encryption choice says; the destination must be absolute', () => {
    const form: RunBackupForm = { destination: ' /var/backups ', kind: 'incremental', encryption: 'passphrase', secret: ' short ', includeViews: true };
    const input = createBackupInput(form);
    expect(input).toEqual({ destination: '/var/backups', kind: 'incremental', encryption: { kind: 'age-passphrase', passphrase: ' short ' }, includeViews: false });
    expect(placed(checkInput('backup.create', input), RUN_BACKUP_ISSUES).at('encryption')).toBe('use a passphrase of at least 8 characters');
    expect(createBackupInput({ ...form, encryption: 'passphraseFile', secret: ' /etc/key ' }).encryption).toEqual({ kind: 'age-passphrase', passphraseFile: '/etc/key' });
    expect(checkInput('backup.create', createBackupInput({ ...form, encryption: 'recipient', secret: RECIPIENT }))).toEqual([]);
    expect(runBackupIssues({ ...form, destination: 'backups' })).toEqual([{ path: ['destination'], message: 'an absolute path on the server' }]);
    expect(runBackupIssues({ ...form, destination: '' })).toEqual([]);
    expect(placed(checkInput('backup.create', createBackupInput({ ...form, destination: '' })), RUN_BACKUP_ISSUES).at('destination')).toBe('required');
  });
});

describe('retention policies as typed', () => {
  it('reads rules as numbers, an empty policy as none, and back', () => {
    expect(retentionOf({ keepLast: '', daily: '', weekly: '', monthly: '' })).toBeNull();
    expect(retentionOf({ keepLast: '3', daily: '', weekly: '', monthly: '12' })).toEqual({ keepLast: 3, monthly: 12 });
    expect(retentionOf({ keepLast: 'three', daily: '', weekly: '', monthly: '' })).toEqual({ keepLast: Number.NaN });
    expect(retentionTextOf({ keepLast: 3, weekly: 4 })).toEqual({ keepLast: '3', daily: '', weekly: '4', monthly: '' });
    expect([numberOrNull(' 42 '), numberOrNull(''), numberOrNull('-1'), numberOrNull('1e3')]).toEqual([42, null, -1, Number.NaN]);
  });

  it('says why each archive of a plan is kept or pruned', () => {
    const entries = [fakeEntry({ kind: 'full', from: 0, to: 10, at: 1 }), fakeEntry({ kind: 'incremental', from: 10, to: 20, at: 2 }), fakeEntry({ kind: 'full', from: 0, to: 30, at: 3 })];
    const [a, b, c] = entries.map((e) => e.archive);
    const rows = retentionRows({ kept: [b!, c!], decisions: [{ archive: c!, keep: true, reasons: ['newest', 'last'] }] }, entries);
    expect(rows.map((r) => [r.keep, r.why])).toEqual([
      [false, 'not kept by the policy, and no kept archive’s restore chain needs it'],
      [true, 'kept by the policy or needed by a kept archive’s restore chain'],
      [true, 'the newest archive (always kept); among the newest N'],
    ]);
    expect(a).toBeDefined();
  });
});
