import type { RecoveryReport } from '../../../shared/recovery.js';
import { formatCount, formatNumber } from '../output.js';

/** The `restore --json` document: the DESIGN §6 fields first, then the rest of the report. */
export function restoreJson(report: RecoveryReport): Record<string, unknown> {
  const { ok, target, headPosition, headHash, events, dryRun, steps, rtoMs, ...rest } = report;
  return { ok, target, headPosition, headHash, events, dryRun, steps, rtoMs, ...rest };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The human report of a restore or drill. */
export function restoreText(report: RecoveryReport, verb: string): string {
  const lines = [
    `${verb}: ${formatCount(report.events, 'event')}, ${formatCount(report.streams, 'stream')}, head ${formatNumber(report.headPosition)} (${report.headHash})` +
      (report.headRecordedAt === null ? '' : `, newest event recorded ${report.headRecordedAt}`),
    `  store ${report.storeId} ${report.dryRun ? `built and verified in ${report.destination} (deleted: dry run)` : `at ${report.destination}`}`,
    `  from ${report.archives.map((a) => `${a.archive.split('/').pop()}${a.usedTo < a.toPosition ? ` (to ${formatNumber(a.usedTo)})` : ''}`).join(' + ')}`,
  ];
  if (report.target.note !== null) lines.push(`  ${report.target.note}`);
  if (report.previousStore !== null) lines.push(`  the store as it was is kept at ${report.previousStore}`);
  lines.push(`  RTO ${seconds(report.rtoMs)}: ${report.steps.map((s) => `${s.name} ${seconds(s.ms)}`).join(', ')}`);
  const lo = report.leftOut;
  if (lo.available)
    lines.push(
      lo.events === 0
        ? '  nothing of the current store is left out'
        : `  left out of the current store: ${formatCount(lo.events, 'event')} (positions ${lo.fromPosition}–${lo.toPosition}) in ${formatCount(lo.streams, 'stream')}; ` +
            `by type: ${lo.byType.slice(0, 5).map((t) => `${t.type} ${formatNumber(t.events)}`).join(', ')}${lo.byType.length > 5 ? ', …' : ''}`,
    );
  lines.push(`  data-loss window ${seconds(report.dataLoss.windowMs)} (newest restored event vs ${report.dataLoss.reference} ${report.dataLoss.referenceAt})`);
  for (const w of report.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n') + '\n';
}
