import type { InputOf } from '../../../../../shared/api/contract.js';
import type { DrillPolicy } from '../../../../../shared/recovery.js';
import { numberOrNull, numberText, textOrUndefined } from '../../../ui/formText.js';
import { cronOf, cronTextOf, type CronText } from '../../backups/schedules/cronText.js';

/** The drill policy editor's model (pure): its fields as typed, and the `recovery.saveDrillPolicy` input they make. */

export type DrillKeyKind = DrillPolicy['key']['kind'];

/** The drill policy editor's fields as typed (numbers as text, so a half-typed value is not lost). */
export interface DrillForm extends CronText {
  readonly enabled: boolean;
  readonly backupsDir: string;
  readonly keyKind: DrillKeyKind;
  readonly keyPath: string;
  readonly maxAgeHours: string;
  readonly rtoTargetMinutes: string;
  readonly rpoTargetMinutes: string;
  readonly scratchDir: string;
}

/** Where the policy sits in `recovery.saveDrillPolicy`'s input, and the fields the editor places messages beside. */
export const DRILL_POLICY_ISSUES = {
  under: ['policy'],
  fields: ['enabled', 'cron', 'timezone', 'backupsDir', 'key', 'maxAgeHours', 'rtoTargetMinutes', 'rpoTargetMinutes', 'scratchDir'],
};

export const KEY_CHOICES: ReadonlyArray<readonly [DrillKeyKind, string]> = [
  ['none', 'None'],
  ['passphrase-file', 'Passphrase file'],
  ['identity-file', 'Identity file'],
];

/** A first policy: a weekly drill of the first backup folder, warned about when older than eight days. */
export function newDrillForm(backupsDir: string, timezone: string): DrillForm {
  return { enabled: true, cron: '0 3 * * 0', timezone, backupsDir, keyKind: 'none', keyPath: '', maxAgeHours: '192', rtoTargetMinutes: '', rpoTargetMinutes: '', scratchDir: '' };
}

export function drillFormOf(policy: DrillPolicy, hostZone: string): DrillForm {
  return {
    enabled: policy.enabled,
    ...cronTextOf(policy, hostZone),
    backupsDir: policy.backupsDir,
    keyKind: policy.key.kind,
    keyPath: policy.key.kind === 'none' ? '' : policy.key.path,
    maxAgeHours: numberText(policy.maxAgeHours),
    rtoTargetMinutes: numberText(policy.rtoTargetMinutes),
    rpoTargetMinutes: numberText(policy.rpoTargetMinutes),
    scratchDir: policy.scratchDir ?? '',
  };
}

export function saveDrillPolicyInput(f: DrillForm): InputOf<'recovery.saveDrillPolicy'> {
  return {
    policy: {
      enabled: f.enabled,
      ...cronOf(f),
      backupsDir: f.backupsDir.trim(),
      key: f.keyKind === 'none' ? { kind: 'none' } : { kind: f.keyKind, path: f.keyPath.trim() },
      // Required: an empty field is not a number, and the check says so beside it.
      maxAgeHours: numberOrNull(f.maxAgeHours) ?? Number.NaN,
      rtoTargetMinutes: numberOrNull(f.rtoTargetMinutes),
      rpoTargetMinutes: numberOrNull(f.rpoTargetMinutes),
      scratchDir: textOrUndefined(f.scratchDir) ?? null,
    },
  };
}
