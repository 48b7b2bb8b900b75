import type { DataLossWindow, DrillOutcome, DrillTrigger, RecoveryPhase, RecoveryTarget } from '../../../../shared/recovery.js';
import { formatCount } from '../../format/numbers.js';
import { formatAbsolute, formatDuration } from '../../format/time.js';
import { formatMinutes } from '../backups/rpo.js';

/** Words the Recovery page, its reports and Overview's drill card share. */
export const PHASE_LABELS: Readonly<Record<RecoveryPhase, string>> = {
  planning: 'Planning the chain',
  validating: 'Validating archives',
  preparing: 'Preparing the new store',
  cutting: 'Cutting the full archive back',
  applying: 'Applying incrementals',
  verifying: 'Verifying the hash chain',
  views: 'Rebuilding the views',
  finishing: 'Finishing',
  publishing: 'Swapping the restored store in',
  summarising: 'Summarising',
  comparing: 'Comparing with the current store',
};

export function phaseLabel(phase: string): string {
  return phase in PHASE_LABELS ? PHASE_LABELS[phase as RecoveryPhase] : phase;
}

export const DRILL_TRIGGER_LABELS: Readonly<Record<DrillTrigger, string>> = { schedule: 'Schedule', 'catch-up': 'Catch-up', manual: 'Manual', cli: 'Command line' };

export const DRILL_OUTCOME_TONES: Readonly<Record<DrillOutcome, 'ok' | 'bad' | 'neutral' | 'accent'>> = {
  running: 'accent',
  succeeded: 'ok',
  failed: 'bad',
  cancelled: 'neutral',
  interrupted: 'bad',
};

export const LOSS_REFERENCE_LABELS: Readonly<Record<DataLossWindow['reference'], string>> = {
  failure: 'the time of the failure',
  'current-store': 'the newest event of the store being replaced',
  'run-start': 'the start of the run (nothing newer was known)',
};

/** A target in words: "the latest archive", "position 1,204", "2026-05-01 14:03:11.000 (local time)". */
export function describeTarget(target: RecoveryTarget): string {
  if (target.kind === 'latest') return 'the end of the newest archive';
  if (target.kind === 'position') return `position ${formatCount(target.position)}`;
  return `the last event at or before ${formatAbsolute(target.at)}`;
}

/** A target set in whole minutes reads as one ("5 min", "2 h"); a measure reads as a duration ("4 min 12 s"). */
export function formatTarget(ms: number): string {
  return ms % 60_000 === 0 ? formatMinutes(ms / 60_000) : formatDuration(ms);
}

/**
 * An archive's file name without its store id (the same for every archive of a restore, and most of the
 * name): "full-0-3000-20261126T015946Z.tar.gz". The full path goes in the tooltip.
 */
export function archiveLabel(path: string, storeId: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return name.startsWith(`${storeId}-`) ? name.slice(storeId.length + 1) : name;
}
