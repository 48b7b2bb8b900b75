import type { Command } from '../command.js';
import { withConsole } from '../console.js';
import { formatNumber } from '../output.js';

export const verifyCommand: Command = {
  name: 'verify',
  usage: 'verify <store>',
  summary: 'integrity_check and the whole hash chain; names the first bad position (exit 1 when found)',
  options: {},
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    // A store that cannot be opened for writing is still verified (read-only, in the job); only its result cannot be recorded in it.
    const report = await withConsole({ storePath: args.positionals[0]!, startWithoutStore: true, reportsLosses: true }, (c) => c.call('store.verify', {}, 'verify'));
    if (args.json) {
      await out.json({
        ok: report.ok,
        checkedEvents: report.checkedEvents,
        firstBadPosition: report.firstBadPosition,
        problems: report.problems,
        headPosition: report.headPosition,
        headHash: report.headHash,
        truncated: report.truncated,
        durationMs: report.durationMs,
        // Every loss on record, acknowledged or not (an unacknowledged one is among the problems too).
        losses: report.losses ?? [],
      });
    } else if (report.ok) {
      await out.write(`ok: ${formatNumber(report.checkedEvents)} events, hash chain intact up to position ${formatNumber(report.headPosition)} (${report.headHash})\n`);
    } else {
      await out.write(
        `FAILED: first bad position ${report.firstBadPosition ?? 'n/a'}; ${report.problems.length}${report.truncated ? '+' : ''} problem(s) in ${formatNumber(report.checkedEvents)} events\n` +
          report.problems.map((p) => `  ${p.code}${p.position === null ? '' : ` at ${p.position}`}: ${p.message}`).join('\n') +
          '\n',
      );
    }
    return report.ok ? 0 : 1;
  },
};
