import { expect } from 'vitest';
import type { ConsoleError, ErrorCode } from '../../shared/errors.js';

/**
 * Expects `fn` to throw (or reject with) a ConsoleError with `code`, and returns it. Matched by name and
 * code rather than instanceof, so errors of the built code (dist/) count too.
 */
export async function expectConsoleError(fn: () => unknown, code: ErrorCode): Promise<ConsoleError> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${code}`).toBeInstanceOf(Error);
  expect((error as Error).name, String(error)).toBe('ConsoleError');
  expect((error as ConsoleError).code, (error as ConsoleError).message).toBe(code);
  return error as ConsoleError;
}
