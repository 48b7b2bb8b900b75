import { z } from 'zod';
import type { RecoveryTarget } from '../../../shared/recovery.js';
import { booleanOption, intOption, stringOption, type Command } from '../command.js';
import { absolute, withConsole } from '../console.js';
import { usageError } from '../output.js';
import { keysFromArgs, trustKeyFromArgs } from './backupShared.js';
import { restoreJson, restoreText } from './recoveryShared.js';

const isoTime = z.iso.datetime({ offset: true });

export const restoreCommand: Command = {
  name: 'restore',
  usage:
    'restore <archive>... --to <new-store> [--position <n> | --time <iso8601>] [--passphrase-file <f> | --identity <f>] [--trust-key <f>] [--dry-run] [--current <store>] [--scratch <dir>]',
  summary:
    'restore the shortest archive chain reaching the target into a new store; <archive>... may be archives, sidecars or folders (exit 1 on a gap, a damaged archive, a wrong key, or with --trust-key an archive not signed by it)',
  options: {
    to: { type: 'string' },
    position: { type: 'string' },
    time: { type: 'string' },
    'passphrase-file': { type: 'string' },
    identity: { type: 'string' },
    'dry-run': { type: 'boolean' },
    current: { type: 'string' },
    scratch: { type: 'string' },
    'trust-key': { type: 'string' },
  },
  positionals: { min: 1, max: 100_000, names: '<archive>...' },
  async run(args, { out }) {
    const to = stringOption(args, 'to');
    if (to === undefined) throw usageError('--to <new-store> is required (a folder that does not exist or is empty)');
    const position = intOption(args, 'position', 1);
    const time = stringOption(args, 'time');
    if (position !== undefined && time !== undefined) throw usageError('give --position or --time, not both');
    if (time !== undefined && !isoTime.safeParse(time).success)
      throw usageError(`--time must be an ISO 8601 time with a zone, e.g. 2026-03-01T10:15:00Z, got ${JSON.stringify(time)}`);
    const target: RecoveryTarget = position !== undefined ? { kind: 'position', position } : time !== undefined ? { kind: 'time', at: time } : { kind: 'latest' };
    const dryRun = booleanOption(args, 'dry-run');
    const current = stringOption(args, 'current');
    const scratch = stringOption(args, 'scratch');
    const destination = absolute(to);
    // The restored store's audit log gets the record of its own restore (a dry run leaves no store).
    const report = await withConsole({ storePath: destination, openStore: false }, (c) =>
      c.call(
        'recovery.restoreTo',
        {
          sources: args.positionals.map(absolute),
          target,
          to: destination,
          keys: keysFromArgs(args),
          dryRun,
          current: current === undefined ? undefined : absolute(current),
          scratch: scratch === undefined ? undefined : absolute(scratch),
          trustKeyFile: trustKeyFromArgs(args),
        },
        'restore',
      ),
    );
    if (args.json) await out.json(restoreJson(report));
    else await out.write(restoreText(report, dryRun ? 'dry run ok' : 'restored'));
    return 0;
  },
};
