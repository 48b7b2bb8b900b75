import { intOption, stringOption, type Command } from '../command.js';
import { withConsole } from '../console.js';
import { writeEvents } from './read.js';

export const exportCommand: Command = {
  name: 'export',
  usage: 'export <store> [--from <pos>] [--to <pos>] [--stream <id>]',
  summary: 'write events as importable NDJSON (a full export re-imports into an identical store)',
  options: { from: { type: 'string' }, to: { type: 'string' }, stream: { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    const range = { streamId: stringOption(args, 'stream'), from: intOption(args, 'from', 0), to: intOption(args, 'to', 0), limit: Number.MAX_SAFE_INTEGER, backwards: false };
    await withConsole({ storePath: args.positionals[0]!, readonly: true }, (c) => writeEvents(out, c, range));
    return 0;
  },
};
