import { ConsoleError, ERROR_HINTS, isErrorCode, type ErrorInfo } from '../../../shared/errors.js';

/** Any failure as the console shows it: a stable code, the message, and what the admin can do next. */
export function describeError(error: unknown): ErrorInfo & { readonly hint: string } {
  let info: ErrorInfo;
  if (error instanceof ConsoleError) info = error.toInfo();
  else if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error && isErrorCode(error.code) && typeof error.message === 'string')
    info = { code: error.code, message: error.message };
  else info = { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  return { ...info, hint: ERROR_HINTS[info.code] };
}
