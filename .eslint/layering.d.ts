import type { ESLint } from 'eslint';

declare const plugin: ESLint.Plugin;
export default plugin;
export declare const ROOM_RANKS: Readonly<Record<string, number>>;
