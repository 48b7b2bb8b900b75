import type { z } from 'zod';
import { contract, type InputOf, type MethodName } from '../../../shared/api/contract.js';
import { ConsoleError } from '../../../shared/errors.js';
import { issuesFrom, issuesOf, type InputIssue } from '../../../shared/validation.js';
import { formatCount } from '../format/numbers.js';

export type { InputIssue };
export type IssuePath = InputIssue['path'];

/**
 * Messages for the generic checks of a schema, in the words of a form ("required", "at most 100
 * characters"); the messages a schema states itself ("HH:MM, 24-hour") win over these.
 */
const formMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return 'required';
      return issue.expected === 'number' || issue.expected === 'int' ? 'a whole number' : undefined;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'required' : `at least ${formatCount(min)} characters`;
      if (issue.origin === 'array') return min <= 1 ? 'name at least one' : `at least ${formatCount(min)}`;
      if (issue.origin === 'number' || issue.origin === 'int') return `at least ${formatCount(issue.inclusive === false ? min + 1 : min)}`;
      return undefined;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `at most ${formatCount(max)} characters`;
      if (issue.origin === 'array') return `at most ${formatCount(max)}`;
      if (issue.origin === 'number' || issue.origin === 'int') return `at most ${formatCount(issue.inclusive === false ? max - 1 : max)}`;
      return undefined;
    }
    default:
      return undefined;
  }
};

/** The issues of a schema with a value, as a form shows them (none: the value passes). */
export function checkWith(schema: z.ZodType, value: unknown): InputIssue[] {
  const parsed = schema.safeParse(value, { error: formMessages });
  return parsed.success ? [] : issuesOf(parsed.error);
}

/**
 * What main would refuse in a call's input, checked before sending against the contract's own schema:
 * the same schema main validates with, so the paths are the ones main would name (from the top of the input).
 */
export function checkInput<M extends MethodName>(method: M, input: InputOf<M>): InputIssue[] {
  return checkWith(contract[method].input, input);
}

/** The issues a refused call names (INVALID_INPUT's `details.issues`); none for any other error. */
export function issuesOfError(error: unknown): InputIssue[] {
  return error instanceof ConsoleError && error.code === 'INVALID_INPUT' ? issuesFrom(error.details) : [];
}

function startsWith(path: IssuePath, prefix: IssuePath): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
}

/** Issues as a form shows them: each beside the field it is about, the rest above the buttons. */
export interface PlacedIssues {
  /** The first message about `field` (or anything inside it), if any. */
  at(field: string): string | undefined;
  /** Issues about no field the form shows (the input as a whole, a field it has no place for). */
  readonly unplaced: readonly InputIssue[];
  readonly count: number;
}

/**
 * Places issues on a form's fields. `under` is where the form's object sits in the input (`['schedule']`);
 * `fields` are dotted paths inside it (`encryption`, `retention.keepLast`): an issue goes to the longest
 * field that holds its path (`encryption.recipient` to `encryption`).
 */
export function placeIssues(issues: readonly InputIssue[], under: IssuePath, fields: readonly string[]): PlacedIssues {
  const byField = new Map<string, string>();
  const unplaced: InputIssue[] = [];
  const paths = fields.map((f) => ({ field: f, path: [...under, ...f.split('.')] })).sort((a, b) => b.path.length - a.path.length);
  for (const issue of issues) {
    const home = paths.find((f) => startsWith(issue.path, f.path));
    if (home === undefined) unplaced.push(issue);
    else if (!byField.has(home.field)) byField.set(home.field, issue.message);
  }
  return { at: (field) => byField.get(field), unplaced, count: issues.length };
}
