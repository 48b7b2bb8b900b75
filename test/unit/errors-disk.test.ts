import { describe, expect, it } from 'vitest';
import { ConsoleError, diskErrorCode, toErrorInfo } from '../../shared/errors.js';

function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('a full or failing disk is never INTERNAL', () => {
  it.for([
    ['ENOSPC', 'DISK_FULL'],
    ['EDQUOT', 'DISK_FULL'],
    ['SQLITE_FULL', 'DISK_FULL'],
    ['EIO', 'IO_ERROR'],
    ['SQLITE_IOERR_FSYNC', 'IO_ERROR'],
    ['SQLITE_IOERR_WRITE', 'IO_ERROR'],
    ['SQLITE_IOERR', 'IO_ERROR'],
  ])('%s becomes %s, with the system message and its errno', ([errno, code]) => {
    const info = toErrorInfo(systemError(errno!, `${errno}: something, write`));
    expect(info.code).toBe(code);
    expect(info.message).toContain(`${errno}: something, write`);
    expect(info.details).toEqual({ errno });
  });

  it('other failures stay INTERNAL, and a ConsoleError keeps its own code', () => {
    expect(toErrorInfo(systemError('ENOENT', 'gone')).code).toBe('INTERNAL');
    expect(toErrorInfo(systemError('SQLITE_IOERR_NOMEM', 'out of memory')).code).toBe('INTERNAL');
    expect(toErrorInfo(new ConsoleError('DISK_FULL', 'said so')).message).toBe('said so');
    expect(diskErrorCode(undefined)).toBeUndefined();
  });
});
