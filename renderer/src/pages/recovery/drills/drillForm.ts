import type { DrillPolicy, DrillPolicyInput } from '../../../../../shared/recovery.js';

/** The drill policy editor's fields as typed (numbers as text, so a half-typed value is not lost). */
export interface DrillForm {
  readonly enabled: boolean;
  readonly cron: string;
  readonly timezone: string;
  readonly backupsDir: string;
  readonly keyKind: 'none' | 'passphrase-file' | 'identity-file';
  readonly keyPath: string;
  readonly maxAgeHours: string;
  readonly rtoTargetMinutes: string;
  readonly rpoTargetMinutes: string;
  readonly scratchDir: string;
}

/** A first policy: a weekly drill of the first backup folder, warned about when older than eight days. */
export function newDrillForm(backupsDir: string, timezone: string): DrillForm {
  return { enabled: true, cron: '0 3 * * 0', timezone, backupsDir, keyKind: 'none', keyPath: '', maxAgeHours: '192', rtoTargetMinutes: '', rpoTargetMinutes: '', scratchDir: '' };
}

export function drillFormOf(policy: DrillPolicy, hostZone: string): DrillForm {
  return {
    enabled: policy.enabled,
    cron: policy.cron,
    timezone: policy.timezone ?? hostZone,
    backupsDir: policy.backupsDir,
    keyKind: policy.key.kind,
    keyPath: policy.key.kind === 'none' ? '' : policy.key.path,
    maxAgeHours: String(policy.maxAgeHours),
    rtoTargetMinutes: policy.rtoTargetMinutes === null ? '' : String(policy.rtoTargetMinutes),
    rpoTargetMinutes: policy.rpoTargetMinutes === null ? '' : String(policy.rpoTargetMinutes),
    scratchDir: policy.scratchDir ?? '',
  };
}

/** A whole number typed in a field: null when empty, NaN when not one (the server says why). */
function wholeNumber(text: string): number | null {
  const t = text.trim();
  return t === '' ? null : /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

export function drillPolicyInputOf(f: DrillForm): DrillPolicyInput {
  const path = f.keyPath.trim();
  return {
    enabled: f.enabled,
    cron: f.cron.trim(),
    timezone: f.timezone.trim() === '' ? undefined : f.timezone.trim(),
    backupsDir: f.backupsDir.trim(),
    key: f.keyKind === 'none' ? { kind: 'none' } : { kind: f.keyKind, path },
    maxAgeHours: wholeNumber(f.maxAgeHours) ?? Number.NaN,
    rtoTargetMinutes: wholeNumber(f.rtoTargetMinutes),
    rpoTargetMinutes: wholeNumber(f.rpoTargetMinutes),
    scratchDir: f.scratchDir.trim() === '' ? null : f.scratchDir.trim(),
  };
}
