import { stringOption, type Command } from '../command.js';
import { absolute, withConsole } from '../console.js';
import { usageError } from '../output.js';

export const backupKeygenCommand: Command = {
  name: 'backup keygen',
  usage: 'backup keygen --out <dir>',
  summary:
    'write a new Ed25519 signing key pair into a folder: signing.key (private, mode 0600: give it to `backup create --sign-key`) and signing.pub (give it to `--trust-key`); never overwrites a key',
  options: { out: { type: 'string' } },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, { out }) {
    const dir = stringOption(args, 'out');
    if (dir === undefined) throw usageError('--out <dir> is required (the folder to write signing.key and signing.pub into)');
    const folder = absolute(dir);
    const pair = await withConsole({ storePath: folder, openStore: false }, (c) => c.call('backup.generateSigningKey', { dir: folder }));
    if (args.json) await out.json(pair);
    else
      await out.write(
        `wrote ${pair.privateKeyFile} (private key, mode 0600: keep it where only the backup job can read it)\n` +
          `wrote ${pair.publicKeyFile} (public key: give it to --trust-key, or set it as the store's trusted key)\n` +
          `  key id ${pair.keyId}\n`,
      );
    return 0;
  },
};
