import type { LossRecord } from '../../../shared/store.js';
import { stringOption, type Command } from '../command.js';
import { absolute, withConsole } from '../console.js';
import { formatNumber, usageError } from '../output.js';

function lossLine(l: LossRecord): string {
  const recorded = `${l.source} recorded position ${formatNumber(l.recordedPosition)}, the log had ${formatNumber(l.logPosition)}`;
  return `  ${l.code} at ${formatNumber(l.position)}: ${recorded} (found ${l.detectedAt})\n`;
}

/**
 * The admin accepts a store's log as it is after a detected loss (issue 9, class 4): through
 * `store.acknowledgeLoss`, so it is role-checked and audited like the console's button. The losses stay on
 * record, acknowledged; writes resume from the log's head. The folder's name is typed as confirmation.
 */
export const acknowledgeLossCommand: Command = {
  name: 'acknowledge-loss',
  usage: 'acknowledge-loss <store> --confirm <store-folder-name>',
  summary: "accept the log as it is after a detected loss of events (it stays on record, audited); writes resume. --confirm: the store folder's name",
  options: { confirm: { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    const storePath = absolute(args.positionals[0]!);
    const confirmStoreName = stringOption(args, 'confirm');
    if (confirmStoreName === undefined) throw usageError(`--confirm <store-folder-name> is required: type the store's folder name to acknowledge its loss of events`);
    const result = await withConsole({ storePath }, (c) => c.call('store.acknowledgeLoss', { confirmStoreName }));
    if (args.json) {
      await out.json({ store: storePath, acknowledged: result.acknowledged, headPosition: result.headPosition, headHash: result.headHash });
      return 0;
    }
    const head = `position ${formatNumber(result.headPosition)} (${result.headHash})`;
    if (result.acknowledged.length === 0) {
      await out.write(`no loss to acknowledge in ${storePath}: nothing changed; the head is ${head}\n`);
      return 0;
    }
    await out.write(
      `acknowledged ${formatNumber(result.acknowledged.length)} ${result.acknowledged.length === 1 ? 'loss' : 'losses'} in ${storePath} (kept on record):\n` +
        result.acknowledged.map(lossLine).join('') +
        `writes resume from ${head}\n`,
    );
    return 0;
  },
};
