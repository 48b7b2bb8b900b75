import type { RecoveryReport } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { formatUtc } from '../../../format/time.js';

/**
 * The plain-language summary before the confirm step (UI.md): "Restore 1,204,332 events up to position
 * 1,204,332 (2026-11-25 14:03:11 UTC). 418 events after it will not be in the restored store; the current
 * store is kept as …".
 */
export function restoreSentence(report: RecoveryReport, storeName: string | undefined): string {
  const when = report.headRecordedAt === null ? '' : ` (${formatUtc(report.headRecordedAt)})`;
  const left = report.leftOut;
  const lost = !left.available
    ? 'What the current store holds after it is not known (the store could not be read);'
    : left.events === 0
      ? 'No event of the current store is left out;'
      : `${formatCount(left.events)} ${left.events === 1 ? 'event' : 'events'} after it will not be in the restored store;`;
  return `Restore ${formatCount(report.events)} events up to position ${formatCount(report.headPosition)}${when}. ${lost} the current store is kept as ${storeName ?? '<store>'}.pre-restore-<time of the restore> until you discard it.`;
}

/** What a finished restore did, in one sentence. */
export function restoredSentence(report: RecoveryReport): string {
  const when = report.headRecordedAt === null ? '' : ` (${formatUtc(report.headRecordedAt)})`;
  return `${report.dryRun ? 'The dry run restored' : 'Restored'} ${formatCount(report.events)} events up to position ${formatCount(report.headPosition)}${when}, verified: hash chain of ${formatCount(report.verification.checkedEvents)} events and integrity_check ok.`;
}
