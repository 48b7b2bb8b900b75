import { FileLock } from '../platform/index.js';

/**
 * One restore at a time per target folder, across processes (platform's FileLock, refused as
 * STORE_LOCKED). The swap recovery reads the same lock with `lockState` from EventStore.open.
 */
export function acquireRestoreLock(path: string, purpose: string): FileLock {
  return FileLock.acquireSync(path, purpose, {
    code: 'STORE_LOCKED',
    message: (holder) => `another restore is running here: ${holder}; try again when it has finished`,
  });
}
