import type { Handlers } from '../handler.js';
import { backupHandlers } from './backup.js';
import { eventHandlers } from './events.js';
import { jobHandlers } from './jobs.js';
import { liveHandlers } from './live.js';
import { recoveryHandlers } from './recovery.js';
import { sessionHandlers } from './session.js';
import { storeHandlers } from './store.js';
import { streamHandlers } from './streams.js';

/** Every contract entry's handler; a missing one is a compile error. */
export const handlers: Handlers = {
  ...sessionHandlers,
  ...storeHandlers,
  ...streamHandlers,
  ...eventHandlers,
  ...jobHandlers,
  ...liveHandlers,
  ...backupHandlers,
  ...recoveryHandlers,
};
