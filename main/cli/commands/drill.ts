import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConsoleError, toErrorInfo } from '../../../shared/errors.js';
import type { DrillReport } from '../../../shared/recovery.js';
import { EventStore } from '../../store/index.js';
import { stringOption, type Command } from '../command.js';
import { formatDuration, ProgressLine } from '../progress.js';
import { usageError } from '../output.js';
import { keysFromArgs } from './backupShared.js';
import { drawRecoveryProgress, restoreJson, restoreText } from './recoveryShared.js';

/** Opens the store briefly to write to its drill history; undefined when it cannot be opened (a damaged store). */
function withStore<T>(dir: string, fn: (store: EventStore) => T): T | undefined {
  let store: EventStore;
  try {
    store = EventStore.open(dir);
  } catch {
    return undefined;
  }
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

export const drillCommand: Command = {
  name: 'drill',
  usage: 'drill <store> --backups <dir> [--passphrase-file <f> | --identity <f>] [--scratch <dir>]',
  summary: 'restore the newest complete chain of the store’s archives to a scratch folder, verify it, report RTO and RPO and record the drill (exit 1 when it fails)',
  options: { backups: { type: 'string' }, 'passphrase-file': { type: 'string' }, identity: { type: 'string' }, scratch: { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    const storeDir = resolve(args.positionals[0]!);
    const backups = stringOption(args, 'backups');
    if (backups === undefined) throw usageError('--backups <dir> is required');
    if (!existsSync(storeDir)) throw new ConsoleError('NOT_FOUND', `no store at ${storeDir}`, { path: storeDir });
    const keys = keysFromArgs(args);
    const { runDrill } = await import('../../recovery/index.js');
    const repo = await import('../../recovery/index.js');
    const startedAt = Date.now();
    // The drill is recorded in the store's own history when the store opens (a damaged one may not).
    const opened = withStore(storeDir, (store) => {
      const policy = repo.readDrillPolicy(store.db);
      const targets = {
        rtoTargetMs: policy?.rtoTargetMinutes == null ? null : policy.rtoTargetMinutes * 60_000,
        rpoTargetMs: policy?.rpoTargetMinutes == null ? null : policy.rpoTargetMinutes * 60_000,
      };
      return { id: repo.insertDrill(store.writerDb(), 'cli', startedAt, targets), targets };
    });
    const progress = new ProgressLine('drill');
    let report: DrillReport;
    try {
      report = await runDrill(
        { storeDir, backupsDir: backups, keys, scratchDir: stringOption(args, 'scratch'), ...(opened?.targets ?? {}) },
        { onProgress: (p) => drawRecoveryProgress(progress, p) },
      );
    } catch (error) {
      progress.done();
      if (opened !== undefined) {
        const info = toErrorInfo(error);
        withStore(storeDir, (store) => repo.finishDrill(store.writerDb(), opened.id, Date.now(), info.code === 'CANCELLED' ? 'cancelled' : 'failed', { error: info }));
      }
      throw error;
    }
    progress.done();
    const recorded =
      opened !== undefined &&
      withStore(storeDir, (store) => {
        repo.finishDrill(store.writerDb(), opened.id, Date.now(), 'succeeded', { report });
        return true;
      }) === true;
    const { rpoMs, ...rest } = report;
    if (args.json) await out.json({ ...restoreJson(rest), rpoMs, drillId: recorded ? opened.id : null, recorded });
    else
      await out.write(
        restoreText(report, 'drill ok') +
          `  RPO ${formatDuration(rpoMs / 1000)} (age of the newest restored event)` +
          (report.rpoMet === false ? ' — over the target' : '') +
          (report.rtoMet === false ? '; RTO over the target' : '') +
          `\n  ${recorded ? `recorded as drill ${opened.id} in the store's history` : 'not recorded: the store cannot be opened'}\n`,
      );
    return 0;
  },
};
