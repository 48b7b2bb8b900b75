import { booleanOption, intOption, stringOption, type Command } from '../command.js';
import { withConsole, type CommandConsole } from '../console.js';
import type { Output } from '../output.js';

/** Events per call: about 200 KB of NDJSON, a few ms to read and write. */
const PAGE = 1000;

export interface EventRangeArgs {
  readonly streamId: string | undefined;
  readonly from: number | undefined;
  readonly to: number | undefined;
  readonly limit: number;
  readonly backwards: boolean;
}

/** Writes the events a range selects as NDJSON, page by page through `events.export`, holding one page at a time. */
export async function writeEvents(out: Output, c: CommandConsole, range: EventRangeArgs): Promise<number> {
  let written = 0;
  let cursor: number | undefined;
  while (written < range.limit && !out.isClosed) {
    const page = await c.call('events.export', {
      streamId: range.streamId,
      from: range.from,
      to: range.to,
      backwards: range.backwards,
      cursor,
      limit: Math.min(PAGE, range.limit - written),
    });
    if (page.events > 0) await out.write(page.ndjson);
    written += page.events;
    if (page.cursor === null) break;
    cursor = page.cursor;
  }
  return written;
}

export const readCommand: Command = {
  name: 'read',
  usage: 'read <store> [--stream <id>] [--from <pos>] [--limit <n>] [--backwards]',
  summary: 'print events as NDJSON, the whole log or one stream, forwards or backwards',
  options: { stream: { type: 'string' }, from: { type: 'string' }, limit: { type: 'string' }, backwards: { type: 'boolean' } },
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    const range: EventRangeArgs = {
      streamId: stringOption(args, 'stream'),
      from: intOption(args, 'from', 0),
      to: undefined,
      limit: intOption(args, 'limit', 0) ?? Number.MAX_SAFE_INTEGER,
      backwards: booleanOption(args, 'backwards'),
    };
    await withConsole({ storePath: args.positionals[0]!, readonly: true }, (c) => writeEvents(out, c, range));
    return 0;
  },
};
