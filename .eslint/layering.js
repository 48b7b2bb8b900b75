// @ts-check
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Layering inside main/ (DESIGN §2), as lint errors. Each room (a folder directly under main/) has a rank;
 * a room may import only rooms of a lower rank, and only through their index.ts. A new room must be given
 * a rank here before it can be imported: the table is the architecture, read bottom to top.
 */
export const ROOM_RANKS = {
  platform: 0, // generic: locks, durable writes, disk, clock, steps, recurring jobs, settings, age, workers
  store: 1, // the engine: the log, hash chain, migrations, subscriptions
  security: 2, // principals, audit log
  views: 2, // the console's read models
  backup: 2, // archives, catalog, retention, schedules
  demo: 2, // the demo data set
  recovery: 3, // plans, restores, drills (reads archives through backup)
  workers: 4, // the worker-thread job table: runs domain work off the main loop
  host: 5, // the open store and what runs beside it
  api: 6, // the contract's handlers and the one pipeline
  server: 7, // serve mode (HTTP, WebSocket)
  electron: 7, // the desktop shell
  cli: 8, // the pconsole command (starts serve mode)
};

const MAIN = resolve(import.meta.dirname, '..', 'main');

/** @param {string} file */
function roomOf(file) {
  const rel = relative(MAIN, file);
  if (rel.startsWith('..') || rel === '') return undefined;
  const parts = rel.split(sep);
  return parts.length > 1 ? { room: parts[0], inRoom: parts.slice(1).join('/') } : undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: { type: 'problem', docs: { description: 'main/ rooms import only lower rooms, through their index.ts' }, schema: [] },
  create(context) {
    const from = roomOf(context.filename);
    if (from === undefined) return {};
    /** @param {import('estree').Node} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = roomOf(resolve(dirname(context.filename), source));
      if (to === undefined || to.room === from.room) return;
      const fromRank = /** @type {Record<string, number>} */ (ROOM_RANKS)[from.room ?? ''];
      const toRank = /** @type {Record<string, number>} */ (ROOM_RANKS)[to.room ?? ''];
      if (fromRank === undefined || toRank === undefined) {
        context.report({ node, message: `main/${fromRank === undefined ? from.room : to.room}/ has no rank: add it to ROOM_RANKS in .eslint/layering.js` });
        return;
      }
      if (toRank >= fromRank) {
        context.report({ node, message: `main/${from.room}/ (rank ${fromRank}) may not import main/${to.room}/ (rank ${toRank}): rooms import only lower rooms` });
        return;
      }
      if (!/^index\.(js|ts)$/.test(to.inRoom)) context.report({ node, message: `import main/${to.room}/ through its index.ts, not ${to.room}/${to.inRoom}` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { rooms: rule } };
