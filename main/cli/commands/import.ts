import { EventStore } from '../../store/index.js';
import { importNdjson } from '../../store/index.js';
import { intOption, type Command } from '../command.js';
import { formatNumber } from '../output.js';
import { ProgressLine } from '../progress.js';

export const importCommand: Command = {
  name: 'import',
  usage: 'import <store> <file.ndjson|-> [--batch-size <n>]',
  summary: 'import NDJSON events (new events or an export) in batches, checking every line first',
  options: { 'batch-size': { type: 'string' } },
  positionals: { min: 2, max: 2, names: '<store> <file.ndjson|->' },
  async run(args, { out }) {
    const [storeDir, file] = args.positionals as [string, string];
    const batchSize = intOption(args, 'batch-size', 1) ?? 1000;
    const store = EventStore.open(storeDir);
    const progress = new ProgressLine('import');
    try {
      const result = await importNdjson(store, file === '-' ? { stream: process.stdin } : { path: file }, {
        batchSize,
        onProgress: (p) => progress.update(p.bytes, p.totalBytes, p.lines, 'lines', p.phase),
      });
      progress.done();
      if (args.json) await out.json(result);
      else
        await out.write(
          `imported ${formatNumber(result.imported)} events, skipped ${formatNumber(result.skipped)} already present; head is now ${formatNumber(result.headPosition)}\n`,
        );
    } finally {
      progress.done();
      store.close();
    }
    return 0;
  },
};
