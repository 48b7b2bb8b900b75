import { intOption, type Command } from '../command.js';
import { absolute, withConsole } from '../console.js';
import { formatNumber } from '../output.js';

export const importCommand: Command = {
  name: 'import',
  usage: 'import <store> <file.ndjson|-> [--batch-size <n>]',
  summary: 'import NDJSON events (new events or an export) in batches, checking every line first',
  options: { 'batch-size': { type: 'string' } },
  positionals: { min: 2, max: 2, names: '<store> <file.ndjson|->' },
  async run(args, { out }) {
    const [storeDir, file] = args.positionals as [string, string];
    const batchSize = intOption(args, 'batch-size', 1) ?? 1000;
    const result = await withConsole({ storePath: storeDir }, (c) => c.call('events.import', { file: file === '-' ? '-' : absolute(file), batchSize }, 'import'));
    if (args.json) await out.json(result);
    else await out.write(`imported ${formatNumber(result.imported)} events, skipped ${formatNumber(result.skipped)} already present; head is now ${formatNumber(result.headPosition)}\n`);
    return 0;
  },
};
