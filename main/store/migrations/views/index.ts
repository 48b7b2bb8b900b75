import type { Migration } from '../runner.js';
import { initial } from './0001-initial.js';
import { viewCounters } from './0002-view-counters.js';

/** views.db schema steps, in order. */
export const viewsMigrations: readonly Migration[] = [initial, viewCounters];
