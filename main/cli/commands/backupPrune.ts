import { retentionPolicySchema, type RetentionPolicy } from '../../../shared/backup.js';
import { booleanOption, intOption, stringOption, type Command } from '../command.js';
import { absolute, withConsole } from '../console.js';
import { formatBytes, usageError } from '../output.js';

export const backupPruneCommand: Command = {
  name: 'backup prune',
  usage: 'backup prune <dir> (--keep-last <n> | --daily <n> --weekly <n> --monthly <n>) [--store <id>] [--dry-run]',
  summary: 'delete archives a retention policy does not keep; never one a kept archive’s restore chain needs',
  options: {
    'keep-last': { type: 'string' },
    daily: { type: 'string' },
    weekly: { type: 'string' },
    monthly: { type: 'string' },
    store: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  positionals: { min: 1, max: 1, names: '<dir>' },
  async run(args, { out }) {
    const dir = absolute(args.positionals[0]!);
    const policy: RetentionPolicy = {
      keepLast: intOption(args, 'keep-last', 1),
      daily: intOption(args, 'daily', 1),
      weekly: intOption(args, 'weekly', 1),
      monthly: intOption(args, 'monthly', 1),
    };
    const parsed = retentionPolicySchema.safeParse(policy);
    if (!parsed.success) throw usageError('give --keep-last <n> and/or --daily/--weekly/--monthly <n>');
    const dryRun = booleanOption(args, 'dry-run');
    const result = await withConsole({ storePath: dir, openStore: false }, (c) => c.call('backup.prune', { dir, policy: parsed.data, dryRun, storeId: stringOption(args, 'store') }));
    if (args.json) {
      await out.json({ dir, dryRun, kept: result.kept, removed: dryRun ? [] : result.pruned, wouldRemove: dryRun ? result.pruned : [], bytesFreed: result.bytesFreed, decisions: result.decisions });
    } else {
      const verb = dryRun ? 'would remove' : 'removed';
      await out.write(result.pruned.map((a) => `${verb} ${a}\n`).join('') + `${verb} ${result.pruned.length} archive(s)${dryRun ? '' : `, ${formatBytes(result.bytesFreed)} freed`}; kept ${result.kept.length}\n`);
    }
    return 0;
  },
};
