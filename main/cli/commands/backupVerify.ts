import { stringOption, type Command } from '../command.js';
import { absolute, withConsole } from '../console.js';
import { formatNumber } from '../output.js';
import { keysFromArgs } from './backupShared.js';

export const backupVerifyCommand: Command = {
  name: 'backup verify',
  usage: 'backup verify <archive> [--passphrase-file <f> | --identity <f>] [--scratch <dir>]',
  summary: 'check an archive: checksums, decryption, manifest, test open of events.db, hash chain, continuity (exit 1 on a problem)',
  options: { 'passphrase-file': { type: 'string' }, identity: { type: 'string' }, scratch: { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<archive>' },
  async run(args, { out }) {
    const archive = absolute(args.positionals[0]!);
    const keys = keysFromArgs(args);
    const scratch = stringOption(args, 'scratch');
    const result = await withConsole({ storePath: archive, openStore: false }, (c) =>
      c.call('backup.verify', { archive, keys, scratchDir: scratch === undefined ? undefined : absolute(scratch) }, 'verify'),
    );
    if (args.json) {
      await out.json({
        ok: result.ok,
        archive: result.archive,
        problems: result.problems,
        manifest: result.manifest,
        eventsChecked: result.eventsChecked,
        continuity: result.continuity,
        previousArchive: result.previousArchive,
        durationMs: result.durationMs,
      });
    } else if (result.ok) {
      await out.write(
        `ok: ${result.archive}\n  ${formatNumber(result.eventsChecked)} events checked, checksums, manifest and hash chain intact` +
          (result.continuity === 'ok' ? `; continues ${result.previousArchive}` : result.continuity === 'unknown' ? '; the archive before it is not in this folder' : '') +
          '\n',
      );
    } else {
      await out.write(`FAILED: ${result.archive}\n` + result.problems.map((p) => `  ${p.code}${p.member === null ? '' : ` [${p.member}]`}: ${p.message}`).join('\n') + '\n');
    }
    return result.ok ? 0 : 1;
  },
};
