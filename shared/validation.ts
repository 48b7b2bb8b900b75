import type { z } from 'zod';
import { ConsoleError } from './errors.js';

/**
 * One thing wrong with an input, where it is: `path` names the field from the top of the input (`[]` is the
 * input itself), so a form can put the message beside the field (DESIGN §3: INVALID_INPUT errors carry
 * `details.issues`).
 */
export interface InputIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export function issuesOf(error: z.ZodError): InputIssue[] {
  return error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message }));
}

export function describeIssue(issue: InputIssue, whole = 'input'): string {
  return `${issue.path.length > 0 ? issue.path.join('.') : whole}: ${issue.message}`;
}

/** INVALID_INPUT naming every issue, with `details.issues` for forms. `what` prefixes the message (e.g. the method). */
export function invalidInput(error: z.ZodError, what?: string): ConsoleError {
  const issues = issuesOf(error);
  const text = issues.map((i) => describeIssue(i)).join('; ');
  return new ConsoleError('INVALID_INPUT', what === undefined ? text : `${what}: ${text}`, { issues });
}

/** Parses `value` against `schema`, or throws INVALID_INPUT with the issues. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what?: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error, what);
  return parsed.data;
}

/** The issues an error carries (an INVALID_INPUT's `details.issues`), or none. */
export function issuesFrom(details: Readonly<Record<string, unknown>> | undefined): InputIssue[] {
  const issues = details?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((i: unknown) => {
    if (typeof i !== 'object' || i === null) return [];
    const { path, message } = i as { path?: unknown; message?: unknown };
    if (!Array.isArray(path) || typeof message !== 'string') return [];
    return [{ path: path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number'), message }];
  });
}

/** INVALID_INPUT about one field, with `details.issues` naming it. */
export function fieldError(path: ReadonlyArray<string | number>, message: string): ConsoleError {
  const issue: InputIssue = { path, message };
  return new ConsoleError('INVALID_INPUT', describeIssue(issue), { issues: [issue] });
}

/**
 * The same error with its issues' paths under `prefix`: a domain checks the object it is given (a schedule)
 * and the API names where that object sits in the call's input (`schedule`). Other errors pass unchanged.
 */
export function underPath(error: unknown, prefix: ReadonlyArray<string | number>): unknown {
  if (!(error instanceof ConsoleError) || error.code !== 'INVALID_INPUT') return error;
  const issues = issuesFrom(error.details).map((i) => ({ path: [...prefix, ...i.path], message: i.message }));
  if (issues.length === 0) return error;
  return new ConsoleError('INVALID_INPUT', issues.map((i) => describeIssue(i)).join('; '), { ...error.details, issues });
}

/** Runs a check whose INVALID_INPUT is about one field, and says which (other errors pass unchanged). */
export function atField<T>(path: ReadonlyArray<string | number>, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ConsoleError && error.code === 'INVALID_INPUT') throw fieldError(path, error.message);
    throw error;
  }
}
