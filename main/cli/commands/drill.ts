import { stringOption, type Command } from '../command.js';
import { absolute, withConsole } from '../console.js';
import { usageError } from '../output.js';
import { formatDuration } from '../progress.js';
import { keysFromArgs, trustKeyFromArgs } from './backupShared.js';
import { restoreJson, restoreText } from './recoveryShared.js';

export const drillCommand: Command = {
  name: 'drill',
  usage: 'drill <store> --backups <dir> [--passphrase-file <f> | --identity <f>] [--trust-key <f>] [--scratch <dir>]',
  summary: 'restore the newest complete chain of the store’s archives to a scratch folder, verify it, report RTO and RPO and record the drill (exit 1 when it fails)',
  options: { backups: { type: 'string' }, 'passphrase-file': { type: 'string' }, identity: { type: 'string' }, scratch: { type: 'string' }, 'trust-key': { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    const backups = stringOption(args, 'backups');
    if (backups === undefined) throw usageError('--backups <dir> is required');
    const scratch = stringOption(args, 'scratch');
    // The drill is recorded in the store's own history when the store opens (a damaged one is drilled all the same).
    const run = await withConsole({ storePath: args.positionals[0]!, startWithoutStore: true }, (c) =>
      c.call(
        'recovery.runDrill',
        { trigger: 'cli', backupsDir: absolute(backups), keys: keysFromArgs(args), scratchDir: scratch === undefined ? undefined : absolute(scratch), trustKeyFile: trustKeyFromArgs(args) },
        'drill',
      ),
    );
    const { rpoMs, drillId, ...report } = run;
    const recorded = drillId !== null;
    if (args.json) await out.json({ ...restoreJson(report), rpoMs, drillId, recorded });
    else
      await out.write(
        restoreText(report, 'drill ok') +
          `  RPO ${formatDuration(rpoMs / 1000)} (age of the newest restored event)` +
          (run.rpoMet === false ? ' — over the target' : '') +
          (run.rtoMet === false ? '; RTO over the target' : '') +
          `\n  ${recorded ? `recorded as drill ${drillId} in the store's history` : 'not recorded: the store cannot be opened'}\n`,
      );
    return 0;
  },
};
