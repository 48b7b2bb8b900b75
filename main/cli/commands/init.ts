import type { Command } from '../command.js';
import { absolute, withConsole } from '../console.js';

export const initCommand: Command = {
  name: 'init',
  usage: 'init <store>',
  summary: 'create a new store in an empty or absent folder',
  options: {},
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    const path = absolute(args.positionals[0]!);
    const created = await withConsole({ storePath: path, openStore: false }, (c) => c.call('store.init', { path }));
    if (args.json) await out.json(created);
    else await out.write(`created store ${created.storeId} at ${created.path}\n`);
    return 0;
  },
};
