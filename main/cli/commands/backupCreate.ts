import { booleanOption, intOption, stringOption, type Command } from '../command.js';
import { formatBytes, formatNumber, usageError } from '../output.js';
import { ProgressLine } from '../progress.js';
import { drawProgress, encryptionFromArgs } from './backupShared.js';

export const backupCreateCommand: Command = {
  name: 'backup create',
  usage: 'backup create <store> --out <dir> [--incremental] [--passphrase-file <f> | --recipient <age1…>] [--include-views] [--compression-level 1-9]',
  summary: 'write a full (or --incremental) backup archive of a store into a folder, optionally age-encrypted',
  options: {
    out: { type: 'string' },
    incremental: { type: 'boolean' },
    'passphrase-file': { type: 'string' },
    recipient: { type: 'string', multiple: true },
    'include-views': { type: 'boolean' },
    'compression-level': { type: 'string' },
  },
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    // Loaded on use: every other command starts without the archive code (tar, zlib streams, age).
    const { createBackup } = await import('../../backup/index.js');
    const [storeDir] = args.positionals as [string];
    const destination = stringOption(args, 'out');
    if (destination === undefined) throw usageError('--out <dir> is required');
    const level = intOption(args, 'compression-level', 1);
    if (level !== undefined && level > 9) throw usageError('--compression-level must be 1 to 9');
    const encryption = encryptionFromArgs(args);
    const progress = new ProgressLine('backup');
    try {
      const result = await createBackup(
        {
          storeDir,
          destination,
          kind: booleanOption(args, 'incremental') ? 'incremental' : 'full',
          encryption,
          includeViews: booleanOption(args, 'include-views'),
          compressionLevel: level,
        },
        { onProgress: (p) => drawProgress(progress, p) },
      );
      progress.done();
      if (!result.created) {
        if (args.json) await out.json({ archive: null, manifest: null, nothingNew: true, previous: result.previous, headPosition: result.headPosition, message: result.message });
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
        });
      } else {
        const m = result.manifest;
        await out.write(
          `created ${result.archive}\n` +
            `  ${m.kind}, positions ${formatNumber(m.fromPosition)}–${formatNumber(m.toPosition)} (${formatNumber(m.eventCount)} events), ` +
            `${formatBytes(result.archiveBytes)}, encryption ${m.encryption}, ${(result.durationMs / 1000).toFixed(1)} s\n` +
            (result.continues === null ? '' : `  continues ${result.continues}\n`),
        );
      }
      return 0;
    } finally {
      progress.done();
    }
  },
};
