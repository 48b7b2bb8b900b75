import { MAX_EVENT_JSON_BYTES, MAX_EVENT_TEXT_BYTES, parseExpectedVersion } from '../../../shared/events.js';
import { formatBytes } from '../../../shared/format.js';
import { parseJsonText } from '../../../shared/json.js';
import { stringOption, type Command } from '../command.js';
import { withConsole } from '../console.js';
import { usageError } from '../output.js';

/** JSON from a flag or a file: bounded in depth before it is parsed (shared/json.ts), named in the message. */
export function parseJsonOption(text: string, what: string): unknown {
  try {
    return parseJsonText(text);
  } catch (error) {
    throw usageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The text of `--data-file` (or standard input, `-`), read no further than any event can be. */
async function readDataFile(file: string): Promise<string> {
  const { readTextFileBounded } = await import('../../platform/index.js');
  return readTextFileBounded(file, {
    what: `--data-file ${file === '-' ? '- (standard input)' : file}`,
    maxBytes: MAX_EVENT_TEXT_BYTES,
    limitReason: `an event's data and metadata are at most ${formatBytes(MAX_EVENT_JSON_BYTES)}`,
  });
}

export const appendCommand: Command = {
  name: 'append',
  usage:
    'append <store> --stream <id> --type <type> (--data <json> | --data-file <f>) [--metadata <json>] [--expected-version any|no_stream|stream_exists|<n>] [--event-id <uuid>]',
  summary: 'append one event to a stream',
  options: {
    stream: { type: 'string' },
    type: { type: 'string' },
    data: { type: 'string' },
    'data-file': { type: 'string' },
    metadata: { type: 'string' },
    'expected-version': { type: 'string' },
    'event-id': { type: 'string' },
  },
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    const streamId = stringOption(args, 'stream');
    const type = stringOption(args, 'type');
    if (streamId === undefined) throw usageError('--stream is required');
    if (type === undefined) throw usageError('--type is required');
    const dataText = stringOption(args, 'data');
    const dataFile = stringOption(args, 'data-file');
    if ((dataText === undefined) === (dataFile === undefined)) throw usageError('give exactly one of --data or --data-file');
    const rawData = dataFile !== undefined ? await readDataFile(dataFile) : dataText!;
    const data = parseJsonOption(rawData, dataFile !== undefined ? `--data-file ${dataFile}` : '--data');
    const metadataText = stringOption(args, 'metadata');
    const metadata = metadataText === undefined ? undefined : parseJsonOption(metadataText, '--metadata');
    const expectedText = stringOption(args, 'expected-version') ?? 'any';
    const expectedVersion = parseExpectedVersion(expectedText);
    if (expectedVersion === undefined)
      throw usageError(`--expected-version must be any, no_stream, stream_exists or a version number, got ${JSON.stringify(expectedText)}`);

    const result = await withConsole({ storePath: args.positionals[0]! }, (c) =>
      c.call('events.append', {
        streamId,
        expectedVersion,
        events: [{ type, data: data as Record<string, unknown>, metadata: metadata as Record<string, unknown> | undefined, eventId: stringOption(args, 'event-id') }],
      }),
    );
    if (args.json) await out.json({ globalPosition: result.globalPosition, streamVersion: result.streamVersion, eventId: result.eventId, idempotent: result.idempotent });
    else await out.write(`${result.idempotent ? 'already appended' : 'appended'} ${streamId}@${result.streamVersion} at position ${result.globalPosition} (event ${result.eventId})\n`);
    return 0;
  },
};
