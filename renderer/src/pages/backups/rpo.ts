import type { RpoIndicator } from '../../../../shared/api/backupTypes.js';
import { formatDuration } from '../../format/time.js';

export type RpoState = RpoIndicator['state'];

export interface RpoReading {
  readonly state: RpoState;
  /** Age of the newest verified backup, null when there is none. */
  readonly ageMs: number | null;
  readonly targetMs: number | null;
  /** Short, for the status bar: "4 min ago", "none verified". */
  readonly short: string;
  /** A sentence: "The newest verified backup is 4 min old: within the 60 min target." */
  readonly sentence: string;
  readonly label: string;
}

export const RPO_TONES: Readonly<Record<RpoState, 'ok' | 'warn' | 'bad' | 'neutral'>> = { green: 'ok', amber: 'warn', red: 'bad', none: 'neutral' };

const LABELS: Readonly<Record<RpoState, string>> = { green: 'Within target', amber: 'Near target', red: 'Breached', none: 'No target' };

/** Minutes as "90 min", "2 h", "1 d 6 h". */
export function formatMinutes(minutes: number): string {
  if (minutes < 120) return `${minutes} min`;
  if (minutes < 2880) return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.round((minutes % 1440) / 60);
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
}

/**
 * The RPO indicator as of `now`: the server computes it when asked, and an idle console asks rarely, so the
 * age and the state are recomputed here as time passes, with the server's thresholds (amber past 80% of
 * the target, red past it or without a verified backup; see rpoIndicator in main/api/handlers/backup.ts).
 */
export function readRpo(rpo: RpoIndicator, now: number): RpoReading {
  const ageMs = rpo.newestVerifiedAt === null ? null : Math.max(0, now - Date.parse(rpo.newestVerifiedAt));
  const targetMs = rpo.targetMinutes === null ? null : rpo.targetMinutes * 60_000;
  const state: RpoState = targetMs === null ? 'none' : ageMs === null || ageMs > targetMs ? 'red' : ageMs > targetMs * 0.8 ? 'amber' : 'green';
  const age = ageMs === null ? null : formatDuration(ageMs);
  const target = rpo.targetMinutes === null ? null : formatMinutes(rpo.targetMinutes);
  const short = ageMs === null ? (rpo.newestAt === null ? 'No backups' : 'None verified') : ageMs < 60_000 ? 'just now' : `${age} ago`;
  let sentence: string;
  if (ageMs === null)
    sentence =
      rpo.newestAt === null
        ? `There is no backup of this store yet${target === null ? '' : `: the ${target} target is breached`}.`
        : `No backup of this store has passed verification${target === null ? '' : `: the ${target} target is breached`}. Verify the newest archive.`;
  else if (target === null) sentence = `The newest verified backup is ${age} old. No schedule sets an RPO target.`;
  else if (state === 'red') sentence = `The newest verified backup is ${age} old: past the ${target} target.`;
  else if (state === 'amber') sentence = `The newest verified backup is ${age} old: past 80% of the ${target} target.`;
  else sentence = `The newest verified backup is ${age} old: within the ${target} target.`;
  return { state, ageMs, targetMs, short, sentence, label: LABELS[state] };
}
