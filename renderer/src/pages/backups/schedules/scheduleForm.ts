import type { InputOf } from '../../../../../shared/api/contract.js';
import type { ScheduleView } from '../../../../../shared/api/backupTypes.js';
import type { BackupKind, ScheduleEncryption } from '../../../../../shared/backup.js';
import { numberOrNull, numberText } from '../../../ui/formText.js';
import { cronOf, cronTextOf, type CronText } from './cronText.js';
import { retentionIssueFields, retentionOf, retentionTextOf, type RetentionText } from '../retention/retentionPolicy.js';

/** The schedule editor's model (pure): its fields as typed, and the `backup.saveSchedule` input they make. */

export type ScheduleEncryptionKind = ScheduleEncryption['kind'];

/** The schedule editor's fields as typed (strings for numbers, so a half-typed value is not lost). */
export interface ScheduleForm extends CronText {
  readonly name: string;
  readonly kind: BackupKind;
  readonly destination: string;
  readonly encryption: ScheduleEncryptionKind;
  readonly passphraseFile: string;
  readonly recipient: string;
  readonly windowOn: boolean;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly retention: RetentionText;
  readonly rpoMinutes: string;
  readonly verifyAfterBackup: boolean;
  readonly includeViews: boolean;
  readonly fullWhenNoChain: boolean;
  readonly enabled: boolean;
}

export type SaveScheduleInput = InputOf<'backup.saveSchedule'>;

/** Where the schedule sits in `backup.saveSchedule`'s input, and the fields the editor places messages beside. */
export const SCHEDULE_ISSUES = {
  under: ['schedule'],
  fields: ['name', 'cron', 'timezone', 'kind', 'destination', 'encryption', 'window', ...retentionIssueFields('retention'), 'rpoMinutes', 'verifyAfterBackup', 'includeViews', 'fullWhenNoChain', 'enabled'],
};

export const ENCRYPTION_CHOICES: ReadonlyArray<readonly [ScheduleEncryptionKind, string]> = [
  ['none', 'None'],
  ['age-passphrase', 'Passphrase file'],
  ['age-recipient', 'age recipient'],
];

export const ENCRYPTION_HINTS: Readonly<Record<ScheduleEncryptionKind, string>> = {
  none: 'Plain .tar.gz archives.',
  'age-passphrase': 'The file is read at each run; the schedule stores only its path, never the passphrase.',
  'age-recipient': 'Only the public key is stored; restoring needs the matching identity.',
};

export function newScheduleForm(destination: string, timezone: string): ScheduleForm {
  return {
    name: '',
    cron: '0 2 * * *',
    timezone,
    kind: 'full',
    destination,
    encryption: 'none',
    passphraseFile: '',
    recipient: '',
    windowOn: false,
    windowStart: '01:00',
    windowEnd: '05:00',
    retention: retentionTextOf(null),
    rpoMinutes: '',
    verifyAfterBackup: true,
    includeViews: false,
    fullWhenNoChain: true,
    enabled: true,
  };
}

export function scheduleFormOf(s: ScheduleView, hostZone: string): ScheduleForm {
  return {
    name: s.name,
    ...cronTextOf(s, hostZone),
    kind: s.kind,
    destination: s.destination,
    encryption: s.encryption.kind,
    passphraseFile: s.encryption.kind === 'age-passphrase' ? s.encryption.passphraseFile : '',
    recipient: s.encryption.kind === 'age-recipient' ? s.encryption.recipient : '',
    windowOn: s.window !== null,
    windowStart: s.window?.start ?? '01:00',
    windowEnd: s.window?.end ?? '05:00',
    retention: retentionTextOf(s.retention),
    rpoMinutes: numberText(s.rpoMinutes),
    verifyAfterBackup: s.verifyAfterBackup,
    includeViews: s.includeViews,
    fullWhenNoChain: s.fullWhenNoChain,
    enabled: s.enabled,
  };
}

function encryptionOf(f: ScheduleForm): ScheduleEncryption {
  if (f.encryption === 'age-passphrase') return { kind: 'age-passphrase', passphraseFile: f.passphraseFile.trim() };
  if (f.encryption === 'age-recipient') return { kind: 'age-recipient', recipient: f.recipient.trim() };
  return { kind: 'none' };
}

/** The call that saves the form: a new schedule without `id`, a change of schedule `id` with it. */
export function saveScheduleInput(f: ScheduleForm, id?: string): SaveScheduleInput {
  const schedule: SaveScheduleInput['schedule'] = {
    name: f.name.trim(),
    ...cronOf(f),
    kind: f.kind,
    destination: f.destination.trim(),
    encryption: encryptionOf(f),
    window: f.windowOn ? { start: f.windowStart, end: f.windowEnd } : null,
    retention: retentionOf(f.retention),
    rpoMinutes: numberOrNull(f.rpoMinutes),
    verifyAfterBackup: f.verifyAfterBackup,
    includeViews: f.includeViews,
    fullWhenNoChain: f.fullWhenNoChain,
    enabled: f.enabled,
  };
  return id === undefined ? { schedule } : { id, schedule };
}
