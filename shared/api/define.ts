import type { z } from 'zod';
import type { Role } from '../security.js';

/**
 * How a contract entry behaves on the wire:
 * - query: reads, returns a value;
 * - command: changes something (audited), returns a value;
 * - job: long work, returns `{ jobId }` at once; progress and the result arrive on `jobs.updates`;
 * - subscription: a stream of pushes until unsubscribed.
 */
export type EntryKind = 'query' | 'command' | 'job' | 'subscription';

/**
 * What the console's data is made of, as far as keeping screens fresh goes: every query declares what it
 * reads, every command and job what it changes, and the renderer refetches the queries that read what a
 * finished call changed (Actual Budget's live queries, by domain instead of by table). Appends change
 * `log` and `streams` from any process; the live head says so.
 */
export const DATA_DOMAINS = [
  /** Who is signed in, the open store, the stores opened recently. */
  'session',
  /** The events of the log, and what is counted from them (rates, types, read-model lag). */
  'log',
  /** The streams table. */
  'streams',
  /** The results of integrity checks. */
  'integrity',
  /** The jobs list. */
  'jobs',
  /** Archives in the catalog's folders, and what was verified of them. */
  'backups',
  /** Backup schedules and their next runs. */
  'schedules',
  /** The backup run history. */
  'backupRuns',
  /** The drill policy and history. */
  'drills',
  /** Stores set aside by in-place restores. */
  'preRestore',
  /** The audit log. */
  'audit',
] as const;
export type DataDomain = (typeof DATA_DOMAINS)[number];

/** What a command or job changes: some domains, or `everything` (another store took the open one's place). */
export type Changes = readonly DataDomain[] | 'everything';

export interface ContractEntry<K extends EntryKind = EntryKind, I extends z.ZodType = z.ZodType, O = unknown, P = unknown> {
  readonly kind: K;
  readonly role: Role;
  readonly summary: string;
  readonly input: I;
  /** What a query's answer depends on (empty for the other kinds). */
  readonly reads: readonly DataDomain[];
  /** What a command or job changes when it ends (empty for the other kinds). */
  readonly changes: Changes;
  /** Type-only: the value a query/command returns, the result of a job, or one push of a subscription. */
  readonly output?: O;
  /** Type-only: a job's progress payload. */
  readonly progress?: P;
}

// Builders keep the table readable: `query(schema, 'viewer', '…', ['log']).returns<Out>()`.
export const query = <I extends z.ZodType>(input: I, role: Role, summary: string, reads: readonly DataDomain[]) => ({
  returns: <O>(): ContractEntry<'query', I, O> => ({ kind: 'query', role, summary, input, reads, changes: [] }),
});
export const command = <I extends z.ZodType>(input: I, role: Role, summary: string, changes: Changes) => ({
  returns: <O>(): ContractEntry<'command', I, O> => ({ kind: 'command', role, summary, input, reads: [], changes }),
});
export const job = <I extends z.ZodType>(input: I, role: Role, summary: string, changes: Changes) => ({
  returns: <O, P>(): ContractEntry<'job', I, O, P> => ({ kind: 'job', role, summary, input, reads: [], changes }),
});
export const subscription = <I extends z.ZodType>(input: I, role: Role, summary: string) => ({
  returns: <O>(): ContractEntry<'subscription', I, O> => ({ kind: 'subscription', role, summary, input, reads: [], changes: [] }),
});

/** Whether a query that reads `reads` is stale once something changed `changes`. */
export function readsChanged(reads: readonly DataDomain[], changes: Changes): boolean {
  return changes === 'everything' || reads.some((d) => changes.includes(d));
}
