import { EventStore } from '../../store/index.js';
import type { Command } from '../command.js';

export const initCommand: Command = {
  name: 'init',
  usage: 'init <store>',
  summary: 'create a new store in an empty or absent folder',
  options: {},
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    const store = EventStore.create(args.positionals[0]!);
    try {
      const result = { storeId: store.storeId, path: store.dir, formatVersion: store.formatVersion };
      if (args.json) await out.json(result);
      else await out.write(`created store ${store.storeId} at ${store.dir}\n`);
    } finally {
      store.close();
    }
    return 0;
  },
};
