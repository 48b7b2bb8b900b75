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

export interface ContractEntry<K extends EntryKind = EntryKind, I extends z.ZodType = z.ZodType, O = unknown, P = unknown> {
  readonly kind: K;
  readonly role: Role;
  readonly summary: string;
  readonly input: I;
  /** Type-only: the value a query/command returns, the result of a job, or one push of a subscription. */
  readonly output?: O;
  /** Type-only: a job's progress payload. */
  readonly progress?: P;
}

// Builders keep the table readable: `query(schema, 'viewer', '…').returns<Out>()`.
function builder<K extends EntryKind>(kind: K) {
  return <I extends z.ZodType>(input: I, role: Role, summary: string) => ({
    returns: <O>(): ContractEntry<K, I, O> => ({ kind, role, summary, input }),
  });
}

export const query = builder('query');
export const command = builder('command');
export const subscription = builder('subscription');
export const job = <I extends z.ZodType>(input: I, role: Role, summary: string) => ({
  returns: <O, P>(): ContractEntry<'job', I, O, P> => ({ kind: 'job', role, summary, input }),
});
