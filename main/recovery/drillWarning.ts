import type { DrillPolicy, DrillRecord, DrillWarning } from '../../shared/recovery.js';

function ago(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 1) return `${Math.max(1, Math.round(ms / 60_000))} minutes ago`;
  if (hours < 48) return `${Math.round(hours)} hours ago`;
  return `${Math.round(hours / 24)} days ago`;
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}

/**
 * What Overview says about drills (pure): an error when the last drill failed, a warning when no drill has
 * succeeded within the policy's maximum age (or none ever ran), or when the last successful one missed its
 * RTO or RPO target; null when all is well or there is no enabled policy.
 */
export function drillWarning(policy: DrillPolicy | null, last: DrillRecord | null, lastSuccess: DrillRecord | null, now: number): DrillWarning | null {
  if (policy === null || !policy.enabled) return null;
  if (last === null) return { code: 'NEVER_RUN', severity: 'warning', message: 'No recovery drill has run yet: run one to know that this store can be restored from its backups.' };
  if (last.outcome === 'failed')
    return {
      code: 'LAST_DRILL_FAILED',
      severity: 'error',
      message: `The last recovery drill (${ago(now - Date.parse(last.startedAt))}) failed${last.error === null ? '' : `: ${last.error.code}: ${last.error.message}`}. The backups may not restore.`,
    };
  const maxAgeMs = policy.maxAgeHours * 3_600_000;
  if (lastSuccess === null) return { code: 'DRILL_OVERDUE', severity: 'warning', message: 'No recovery drill has succeeded yet.' };
  const at = Date.parse(lastSuccess.endedAt ?? lastSuccess.startedAt);
  if (now - at > maxAgeMs)
    return {
      code: 'DRILL_OVERDUE',
      severity: 'warning',
      message: `The last successful recovery drill was ${ago(now - at)}, longer ago than the policy allows (${policy.maxAgeHours} hours).`,
    };
  const missed: string[] = [];
  if (lastSuccess.rtoMs !== null && lastSuccess.rtoTargetMs !== null && lastSuccess.rtoMs > lastSuccess.rtoTargetMs)
    missed.push(`RTO ${seconds(lastSuccess.rtoMs)} against a target of ${seconds(lastSuccess.rtoTargetMs)}`);
  if (lastSuccess.rpoMs !== null && lastSuccess.rpoTargetMs !== null && lastSuccess.rpoMs > lastSuccess.rpoTargetMs)
    missed.push(`RPO ${seconds(lastSuccess.rpoMs)} against a target of ${seconds(lastSuccess.rpoTargetMs)}`);
  if (missed.length > 0) return { code: 'TARGET_MISSED', severity: 'warning', message: `The last recovery drill missed its targets: ${missed.join('; ')}.` };
  return null;
}
