import type { KindOf, MethodName, OutputOf, ParsedInputOf, ProgressOf } from '../../shared/api/contract.js';
import type { JobProgress } from '../../shared/jobs.js';
import type { Principal } from '../../shared/security.js';
import type { ConsoleHost } from '../host/index.js';
import type { JobRunContext } from '../platform/index.js';

/** What every handler receives besides its parsed input. */
export interface CallContext {
  readonly host: ConsoleHost;
  readonly principal: Principal;
}

/** A job handler describes the work; the pipeline starts it and answers `{ jobId }` at once. */
export interface JobHandlerResult<O> {
  readonly label: string;
  /** Names what the job acts on, for the audit log. */
  readonly target: string;
  run(ctx: JobRunContext): Promise<O>;
}

export type HandlerOf<M extends MethodName> =
  KindOf<M> extends 'subscription'
    ? (input: ParsedInputOf<M>, ctx: CallContext, push: (value: OutputOf<M>) => void) => () => void
    : KindOf<M> extends 'job'
      ? ProgressOf<M> extends JobProgress
        ? (input: ParsedInputOf<M>, ctx: CallContext) => JobHandlerResult<OutputOf<M>>
        : never
      : (input: ParsedInputOf<M>, ctx: CallContext) => OutputOf<M> | Promise<OutputOf<M>>;

/** One transport-free handler per contract entry; the compiler checks none is missing. */
export type Handlers = { readonly [M in MethodName]: HandlerOf<M> };
export type HandlersFor<M extends MethodName> = { readonly [K in M]: HandlerOf<K> };

/** A handler as the pipeline calls it, its types checked at the table. */
export type AnyHandler = (input: unknown, ctx: CallContext, push?: (value: unknown) => void) => unknown;
