import { booleanOption, intOption, stringOption, type Command } from '../command.js';
import { absolute, withConsole } from '../console.js';
import { formatBytes, formatNumber, usageError } from '../output.js';
import { encryptionFromArgs, signKeyFromArgs } from './backupShared.js';

export const backupCreateCommand: Command = {
  name: 'backup create',
  usage: 'backup create <store> --out <dir> [--incremental] [--passphrase-file <f> | --recipient <age1…>] [--sign-key <f>] [--include-views] [--compression-level 1-9]',
  summary: 'write a full (or --incremental) backup archive of a store into a folder, optionally age-encrypted and signed (--sign-key: an Ed25519 key from `backup keygen`)',
  options: {
    out: { type: 'string' },
    incremental: { type: 'boolean' },
    'passphrase-file': { type: 'string' },
    recipient: { type: 'string', multiple: true },
    'include-views': { type: 'boolean' },
    'compression-level': { type: 'string' },
    'sign-key': { type: 'string' },
  },
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    const [storeDir] = args.positionals as [string];
    const destination = stringOption(args, 'out');
    if (destination === undefined) throw usageError('--out <dir> is required');
    const level = intOption(args, 'compression-level', 1);
    if (level !== undefined && level > 9) throw usageError('--compression-level must be 1 to 9');
    const encryption = encryptionFromArgs(args);
    // As a script expects it: an incremental without a chain to continue is refused (the schedules fall back
    // to a full archive), and verification is `backup verify`'s, not part of writing the archive.
    // A store with a loss not acknowledged yet is still backed up, with the warning (stderr, or in --json):
    // the archive writes nothing to the log and buries no evidence (the loss stays in integrity_losses,
    // which the archive carries; the catalog is compared by its furthest archive, which a shorter one does
    // not replace), and a copy of the store as it was found is what an investigation wants first.
    const { result, warnings } = await withConsole({ storePath: storeDir, reportsLosses: args.json }, async (c) => {
      const created = await c.call(
        'backup.create',
        {
          destination: absolute(destination),
          kind: booleanOption(args, 'incremental') ? 'incremental' : 'full',
          encryption,
          includeViews: booleanOption(args, 'include-views'),
          compressionLevel: level,
          fullWhenNoChain: false,
          verify: false,
          signKeyFile: signKeyFromArgs(args),
        },
        'backup',
      );
      return { result: created, warnings: [...c.warnings(), ...created.warnings] };
    });
    if (!result.created || result.manifest === null) {
      if (args.json) await out.json({ archive: null, manifest: null, nothingNew: true, previous: result.previous, headPosition: result.toPosition, message: result.message, warnings });
      else await out.write(`${result.message}\n`);
      return 0;
    }
    if (args.json) {
      await out.json({
        archive: result.archive,
        manifest: result.manifest,
        sidecar: result.sidecar,
        archiveBytes: result.archiveBytes,
        continues: result.continues,
        durationMs: result.durationMs,
        steps: result.steps,
        warnings,
      });
      return 0;
    }
    const m = result.manifest;
    await out.write(
      `created ${result.archive}\n` +
        `  ${m.kind}, positions ${formatNumber(m.fromPosition)}–${formatNumber(m.toPosition)} (${formatNumber(m.eventCount)} events), ` +
        `${formatBytes(result.archiveBytes ?? 0)}, encryption ${m.encryption}${m.signingKeyId === undefined ? '' : `, signed by key ${m.signingKeyId}`}, ${(result.durationMs / 1000).toFixed(1)} s\n` +
        (result.continues === null ? '' : `  continues ${result.continues}\n`),
    );
    for (const w of result.warnings) process.stderr.write(`warning ${w.code}: ${w.message}\n`);
    return 0;
  },
};
