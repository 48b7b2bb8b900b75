import type { RetentionPolicy } from '../../../shared/backup.js';
import { retentionPolicySchema } from '../../../shared/backup.js';
import { booleanOption, intOption, stringOption, type Command } from '../command.js';
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
    // Loaded on use: every other command starts without the archive code (tar, zlib streams, age).
    const { pruneBackups } = await import('../../backup/index.js');
    const [dir] = args.positionals as [string];
    const policy: RetentionPolicy = {
      keepLast: intOption(args, 'keep-last', 1),
      daily: intOption(args, 'daily', 1),
      weekly: intOption(args, 'weekly', 1),
      monthly: intOption(args, 'monthly', 1),
    };
    const parsed = retentionPolicySchema.safeParse(policy);
    if (!parsed.success) throw usageError('give --keep-last <n> and/or --daily/--weekly/--monthly <n>');
    const result = await pruneBackups({ dir, policy: parsed.data, storeId: stringOption(args, 'store'), dryRun: booleanOption(args, 'dry-run') });
    const kept = result.plans.flatMap((p) => p.plan.keep);
    const prune = result.plans.flatMap((p) => p.plan.prune);
    if (args.json) {
      await out.json({ dir: result.dir, dryRun: result.dryRun, kept, removed: result.dryRun ? [] : result.removed, wouldRemove: result.dryRun ? prune : [], bytesFreed: result.bytesFreed, decisions: result.plans.flatMap((p) => p.plan.decisions) });
    } else {
      const verb = result.dryRun ? 'would remove' : 'removed';
      await out.write(
        (result.dryRun ? prune : result.removed).map((a) => `${verb} ${a}\n`).join('') +
          `${verb} ${(result.dryRun ? prune : result.removed).length} archive(s)${result.dryRun ? '' : `, ${formatBytes(result.bytesFreed)} freed`}; kept ${kept.length}\n`,
      );
    }
    return 0;
  },
};
