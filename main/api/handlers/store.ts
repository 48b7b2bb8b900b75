import { basename } from 'node:path';
import { ConsoleError } from '../../../shared/errors.js';
import { EventStore, recordIntegrityCheck, lastIntegrityCheck } from '../../store/index.js';
import { runJob } from '../../workers/index.js';
import type { HandlersFor } from '../handler.js';
import { backupCatalog } from './backupCatalog.js';
import { absolutePath } from './handlerInputs.js';

export const storeHandlers: HandlersFor<
  'store.overview' | 'store.eventRate' | 'store.verify' | 'store.acknowledgeLoss' | 'store.recent' | 'store.open' | 'store.create' | 'store.loadDemo' | 'store.init' | 'store.stats'
> = {
  'store.overview': async (_input, { host }) => {
    const views = host.views.status();
    const catalog = await backupCatalog(host);
    return {
      stats: host.store.stats(host.views.streamCount() ?? undefined),
      problems: host.store.openProblems,
      losses: host.store.losses(),
      integrity: lastIntegrityCheck(host.store.db),
      views: { position: views.position, lag: views.lag },
      backup: catalog.rpo,
    };
  },

  'store.eventRate': ({ range }, { host }) => host.views.eventRate(range, host.clock()),

  'store.verify': (_input, { host }) => ({
    label: `Verify ${host.storePath}`,
    target: host.storePath,
    async run({ signal, progress }) {
      // The folder is verified even when the store cannot be opened here: the worker opens it read-only.
      const store = host.hasStore ? host.store : undefined;
      // Heads recorded outside the folder (the newest backup of its catalog) are compared with the log too.
      const report = await runJob(
        'verifyStore',
        { dir: host.storePath, recordedHeads: host.backupHeads() },
        {
          signal,
          nativeBinding: host.nativeBinding,
          onProgress: (p) => progress({ phase: p.phase, done: p.done, total: p.total, unit: p.phase === 'chain' ? 'events' : 'steps' }),
        },
      );
      // Overview shows when the store was last checked; a read-only opening cannot record it.
      if (store !== undefined && host.hasStore && store === host.store && store.writable) recordIntegrityCheck(store.writerDb(), report, host.clock());
      return report;
    },
  }),

  'store.init': ({ path }) => {
    const store = EventStore.create(absolutePath(path, 'the store folder'));
    try {
      return { storeId: store.storeId, path: store.dir, formatVersion: store.formatVersion };
    } finally {
      store.close();
    }
  },

  'store.stats': (_input, { host }) => ({ ...host.store.stats(), problems: [...host.store.openProblems], losses: host.store.losses() }),

  'store.acknowledgeLoss': ({ confirmStoreName }, { host, principal }) => {
    const store = host.store;
    const name = basename(store.dir);
    if (confirmStoreName !== name)
      throw new ConsoleError('INVALID_INPUT', `confirmStoreName: type the store's folder name, ${name}, to acknowledge its loss of events`, {
        issues: [{ path: ['confirmStoreName'], message: `type ${name} to confirm` }],
      });
    const acknowledged = store.acknowledgeLosses(principal.name);
    const head = store.head();
    return { acknowledged, headPosition: head.position, headHash: head.hash };
  },

  'store.recent': (_input, { host }) => host.desktop?.recent.list() ?? [{ path: host.storePath, name: basename(host.storePath), lastOpenedAt: new Date().toISOString(), exists: true }],

  'store.open': async ({ path }, { host, principal }) => {
    const desktop = requireDesktop(host.desktop);
    const chosen = path ?? (await desktop.chooseFolder('open'));
    if (chosen === undefined) throw new ConsoleError('CANCELLED', 'no store was chosen');
    await host.switchStore(chosen, false);
    return host.session(principal);
  },

  'store.create': async ({ path }, { host, principal }) => {
    const desktop = requireDesktop(host.desktop);
    const chosen = path ?? (await desktop.chooseFolder('create'));
    if (chosen === undefined) throw new ConsoleError('CANCELLED', 'no folder was chosen');
    await host.switchStore(chosen, true);
    return host.session(principal);
  },

  'store.loadDemo': ({ events, streams }, { host }) => ({
    label: `Load ${events.toLocaleString('en-US')} demo events`,
    target: host.store.dir,
    run: ({ signal, progress }) =>
      runJob('loadDemo', { dir: host.store.dir, events, streams }, { signal, nativeBinding: host.nativeBinding, onProgress: progress }),
  }),
};

function requireDesktop<T>(desktop: T | undefined): T {
  if (desktop === undefined) throw new ConsoleError('FORBIDDEN', 'serve mode serves one store: start `pconsole serve <store>` for another');
  return desktop;
}
