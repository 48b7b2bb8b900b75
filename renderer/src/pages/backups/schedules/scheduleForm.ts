import type { BackupKind, BackupScheduleInput, RetentionPolicy } from '../../../../../shared/backup.js';
import type { ScheduleView } from '../../../../../shared/api/backupTypes.js';
import { describeError } from '../../../ui/errors.js';

/** The schedule editor's fields as typed (strings for numbers, so a half-typed value is not lost). */
export interface ScheduleForm {
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly kind: BackupKind;
  readonly destination: string;
  readonly encryption: 'none' | 'age-passphrase' | 'age-recipient';
  readonly passphraseFile: string;
  readonly recipient: string;
  readonly windowOn: boolean;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly keepLast: string;
  readonly daily: string;
  readonly weekly: string;
  readonly monthly: string;
  readonly rpoMinutes: string;
  readonly verifyAfterBackup: boolean;
  readonly includeViews: boolean;
  readonly fullWhenNoChain: boolean;
  readonly enabled: boolean;
}

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
    keepLast: '',
    daily: '',
    weekly: '',
    monthly: '',
    rpoMinutes: '',
    verifyAfterBackup: true,
    includeViews: false,
    fullWhenNoChain: true,
    enabled: true,
  };
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

export function formOf(s: ScheduleView, hostZone: string): ScheduleForm {
  return {
    name: s.name,
    cron: s.cron,
    timezone: s.timezone ?? hostZone,
    kind: s.kind,
    destination: s.destination,
    encryption: s.encryption.kind,
    passphraseFile: s.encryption.kind === 'age-passphrase' ? s.encryption.passphraseFile : '',
    recipient: s.encryption.kind === 'age-recipient' ? s.encryption.recipient : '',
    windowOn: s.window !== null,
    windowStart: s.window?.start ?? '01:00',
    windowEnd: s.window?.end ?? '05:00',
    keepLast: text(s.retention?.keepLast),
    daily: text(s.retention?.daily),
    weekly: text(s.retention?.weekly),
    monthly: text(s.retention?.monthly),
    rpoMinutes: s.rpoMinutes === null ? '' : String(s.rpoMinutes),
    verifyAfterBackup: s.verifyAfterBackup,
    includeViews: s.includeViews,
    fullWhenNoChain: s.fullWhenNoChain,
    enabled: s.enabled,
  };
}

/** A whole number typed in a field, or undefined when left empty (NaN when it is not one: the server says why). */
function count(value: string): number | undefined {
  const t = value.trim();
  return t === '' ? undefined : /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

export function retentionOf(f: Pick<ScheduleForm, 'keepLast' | 'daily' | 'weekly' | 'monthly'>): RetentionPolicy | null {
  const policy: { keepLast?: number; daily?: number; weekly?: number; monthly?: number } = {};
  const keepLast = count(f.keepLast);
  const daily = count(f.daily);
  const weekly = count(f.weekly);
  const monthly = count(f.monthly);
  if (keepLast !== undefined) policy.keepLast = keepLast;
  if (daily !== undefined) policy.daily = daily;
  if (weekly !== undefined) policy.weekly = weekly;
  if (monthly !== undefined) policy.monthly = monthly;
  return Object.keys(policy).length === 0 ? null : policy;
}

export function inputOf(f: ScheduleForm): BackupScheduleInput {
  return {
    name: f.name.trim(),
    cron: f.cron.trim(),
    timezone: f.timezone.trim() === '' ? undefined : f.timezone.trim(),
    kind: f.kind,
    destination: f.destination.trim(),
    encryption:
      f.encryption === 'none'
        ? { kind: 'none' }
        : f.encryption === 'age-passphrase'
          ? { kind: 'age-passphrase', passphraseFile: f.passphraseFile.trim() }
          : { kind: 'age-recipient', recipient: f.recipient.trim() },
    window: f.windowOn ? { start: f.windowStart, end: f.windowEnd } : null,
    retention: retentionOf(f),
    rpoMinutes: count(f.rpoMinutes) ?? null,
    verifyAfterBackup: f.verifyAfterBackup,
    includeViews: f.includeViews,
    fullWhenNoChain: f.fullWhenNoChain,
    enabled: f.enabled,
  };
}

/** The IANA time zones this browser knows, for a time-zone field's suggestions. */
export function timeZones(): readonly string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

/**
 * The server's INVALID_INPUT names each field it refused ("schedule.encryption.recipient: an X25519 …"):
 * those messages, by the editor's field they belong to (`inputKey`: the input's object holding the fields).
 */
export function fieldErrors(error: unknown, inputKey = 'schedule'): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  if (error === null || error === undefined) return map;
  const { code, details } = describeError(error);
  if (code !== 'INVALID_INPUT') return map;
  const issues = details?.issues;
  if (!Array.isArray(issues)) return map;
  for (const issue of issues) {
    if (typeof issue !== 'string') continue;
    const match = new RegExp(`^${inputKey}\\.([A-Za-z]+)[^:]*: (.*)$`).exec(issue);
    if (match !== null && !map.has(match[1]!)) map.set(match[1]!, match[2]!);
  }
  return map;
}
