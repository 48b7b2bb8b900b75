import { formatBytes, formatNumber } from '../output.js';
import type { Command } from '../command.js';
import { withConsole } from '../console.js';

export const statsCommand: Command = {
  name: 'stats',
  usage: 'stats <store>',
  summary: 'store id, format, events, streams, head, sizes and durability',
  options: {},
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    const s = await withConsole({ storePath: args.positionals[0]!, readonly: true, reportsLosses: args.json }, (c) => c.call('store.stats', {}));
    if (args.json) {
      await out.json(s);
      return 0;
    }
    const rows: Array<[string, string]> = [
      ['store', `${s.storeId}  (${s.path})`],
      ['format', `version ${s.formatVersion}, created ${s.createdAt}`],
      ['events', formatNumber(s.events)],
      ['streams', formatNumber(s.streams)],
      ['head', `position ${formatNumber(s.headPosition)}  ${s.headHash}${s.headRecordedAt ? `  at ${s.headRecordedAt}` : ''}`],
      ['size', `${formatBytes(s.sizeBytes)} events.db, ${formatBytes(s.walBytes)} WAL, ${formatBytes(s.viewsBytes)} views.db`],
      ['durability', s.durability === 'full' ? 'full (survives power loss)' : 'normal (survives app crashes, not power loss)'],
    ];
    const acknowledged = s.losses.filter((l) => l.acknowledgedAt !== null);
    if (acknowledged.length > 0)
      rows.push(['losses', acknowledged.map((l) => `${l.code} at ${formatNumber(l.position)} (${l.source}), acknowledged by ${l.acknowledgedBy ?? '?'} on ${l.acknowledgedAt}`).join('\n' + ' '.repeat(11))]);
    await out.write(rows.map(([k, v]) => `${k.padEnd(11)}${v}`).join('\n') + '\n');
    // An unacknowledged loss is a warning line (withConsole), as with every command; in --json, `problems`.
    return 0;
  },
};
