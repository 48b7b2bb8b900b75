import type { CallMethod } from '../../shared/api/client.js';
import { contract, isMethodName, type CallResultOf, type InputOf, type MethodName, type OutputOf } from '../../shared/api/contract.js';
import type { Result } from '../../shared/api/wire.js';
import { ConsoleError, toErrorInfo, type ErrorInfo } from '../../shared/errors.js';
import type { JobProgress } from '../../shared/jobs.js';
import { roleAllows, type Principal } from '../../shared/security.js';
import { parseInput } from '../../shared/validation.js';
import type { AuditEntry } from '../security/index.js';
import type { ConsoleHost } from '../host/index.js';
import type { AnyHandler, CallContext, JobHandlerResult } from './handler.js';
import { loadHandler, loadedHandler } from './handlers/index.js';
import { CallStatistics } from './statistics.js';

export interface SubscriptionHandle {
  unsubscribe(): void;
}

/** What a call ended with: a query's or command's value, or a job's result once it has finished. */
export type FinalOf<M extends CallMethod> = OutputOf<M>;

/**
 * The one path every call takes, whoever makes it (Electron IPC, the WebSocket, the CLI, the menu, the
 * schedules): the transport has already established the principal; here the method is looked up, the
 * input parsed against its schema, the role checked, the handler run, the call timed and, when it changes
 * something, audited with its outcome. Answers are `{ ok, value } | { ok: false, error }`, never a throw.
 * Handlers are loaded by domain on first use, so a CLI command loads only what it calls.
 */
export class ApiPipeline {
  /** Every call timed; a slow one logged where it holds up others (the console), not in a one-shot command. */
  readonly statistics: CallStatistics;
  /** Jobs started here, until they have ended and their end is audited. */
  private readonly jobEnds = new Map<string, Promise<void>>();

  constructor(private readonly host: ConsoleHost) {
    this.statistics = new CallStatistics(host.background ? 100 : Infinity);
    host.attachFrontDoor(this);
  }

  async call(principal: Principal, method: unknown, rawInput: unknown): Promise<Result<unknown>> {
    const started = performance.now();
    const known = isMethodName(method) ? method : undefined;
    try {
      const name = this.admit(principal, method, 'call');
      const input = parse(name, rawInput);
      const handler = await loadHandler(name);
      const ctx: CallContext = { host: this.host, principal };
      const kind = contract[name].kind;
      if (kind === 'job') return { ok: true, value: this.startJob(name, handler(input, ctx) as JobHandlerResult<unknown>, principal) };
      const value = await handler(input, ctx);
      if (kind === 'command') this.audit(principal, { action: name, target: auditTarget(input), outcome: 'ok' });
      return { ok: true, value };
    } catch (error) {
      const info = toErrorInfo(error);
      // Refused and failed commands are audited too: an attempt is part of the record.
      if (known !== undefined && contract[known].kind !== 'query' && contract[known].kind !== 'subscription')
        this.audit(principal, { action: known, target: auditTarget(rawInput), outcome: info.code === 'FORBIDDEN' ? 'denied' : 'failed', details: { code: info.code } });
      if (info.code === 'INTERNAL') process.stderr.write(`internal error in ${String(method)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return { ok: false, error: info };
    } finally {
      if (known !== undefined) this.statistics.record(known, performance.now() - started);
    }
  }

  /**
   * A call to its end, for callers that wait (the CLI, the menu): a job's progress goes to `onProgress`, and
   * the answer is its result (or its error) once it has ended and its end is in the audit log.
   */
  async run<M extends CallMethod>(principal: Principal, method: M, input: InputOf<M>, onProgress?: (progress: JobProgress) => void): Promise<Result<FinalOf<M>>> {
    if (contract[method].kind !== 'job') return (await this.call(principal, method, input)) as Result<FinalOf<M>>;
    let jobId: string | undefined;
    const stop = this.host.jobs.onUpdate((job) => {
      if (job.id === jobId && job.progress !== null && job.state === 'running') onProgress?.(job.progress);
    });
    try {
      const started = await this.call(principal, method, input);
      if (!started.ok) return started;
      jobId = (started.value as CallResultOf<M> & { jobId: string }).jobId;
      await this.jobEnds.get(jobId);
      const job = this.host.jobs.get(jobId);
      if (job?.state === 'succeeded') return { ok: true, value: job.result as FinalOf<M> };
      return { ok: false, error: job?.error ?? { code: 'CANCELLED', message: `${method} was cancelled` } };
    } finally {
      stop();
    }
  }

  /**
   * Starts a subscription; `push` receives each value, `end` is called once if it ends from this side.
   * Returns a handle, or the error that refused it. The first subscription of a domain whose handlers are
   * not loaded yet is accepted once its input and role are checked, and ends with the handler's error if
   * the handler then refuses it.
   */
  subscribe(principal: Principal, method: unknown, rawInput: unknown, push: (value: unknown) => void, end: (error: ErrorInfo | null) => void): Result<SubscriptionHandle> {
    let ended = false;
    let detach: (() => void) | undefined;
    const safePush = (value: unknown) => {
      if (ended) return;
      try {
        push(value);
      } catch (error) {
        ended = true;
        end(toErrorInfo(error));
      }
    };
    const handle: SubscriptionHandle = {
      unsubscribe: () => {
        ended = true;
        detach?.();
        detach = undefined;
      },
    };
    try {
      const name = this.admit(principal, method, 'subscribe');
      const input = parse(name, rawInput);
      const attach = (handler: AnyHandler) => handler(input, { host: this.host, principal }, safePush) as () => void;
      const loaded = loadedHandler(name);
      if (loaded !== undefined) {
        detach = attach(loaded);
        return { ok: true, value: handle };
      }
      void loadHandler(name)
        .then((handler) => {
          if (!ended) detach = attach(handler);
        })
        .catch((error: unknown) => {
          if (ended) return;
          ended = true;
          end(toErrorInfo(error));
        });
      return { ok: true, value: handle };
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) };
    }
  }

  private admit(principal: Principal, method: unknown, as: 'call' | 'subscribe'): MethodName {
    if (!isMethodName(method)) throw new ConsoleError('INVALID_INPUT', `unknown method ${JSON.stringify(method)}`);
    const entry = contract[method];
    if ((entry.kind === 'subscription') !== (as === 'subscribe'))
      throw new ConsoleError('INVALID_INPUT', `${method} is a ${entry.kind}: ${entry.kind === 'subscription' ? 'subscribe to it' : 'call it'}`);
    if (!roleAllows(principal.role, entry.role))
      throw new ConsoleError('FORBIDDEN', `${method} needs the ${entry.role} role; ${principal.name} is ${principal.role}`, { required: entry.role, role: principal.role });
    return method;
  }

  private audit(principal: Principal, entry: Omit<AuditEntry, 'actor' | 'transport'>): void {
    this.host.audit({ actor: principal.name, transport: principal.transport, ...entry });
  }

  private startJob(name: MethodName, spec: JobHandlerResult<unknown>, principal: Principal): { jobId: string } {
    // Started first: a job refused (BUSY: too many running) leaves no 'started' record without an end.
    const { info, done } = this.host.jobs.start(name, principal.name, { label: spec.label, run: (ctx) => spec.run(ctx) });
    this.audit(principal, { action: name, target: spec.target, outcome: 'started' });
    const ended = done.then(
      () => this.audit(principal, { action: name, target: spec.target, outcome: 'ok', details: { jobId: info.id } }),
      (error: unknown) => this.audit(principal, { action: name, target: spec.target, outcome: 'failed', details: { jobId: info.id, code: toErrorInfo(error).code } }),
    );
    this.jobEnds.set(info.id, ended);
    void ended.finally(() => this.jobEnds.delete(info.id));
    return { jobId: info.id };
  }
}

function parse(name: MethodName, rawInput: unknown): unknown {
  return parseInput(contract[name].input, rawInput ?? {}, name);
}

/** A short description of what a command acted on, for the audit log (never the whole payload). */
function auditTarget(input: unknown): string {
  if (typeof input !== 'object' || input === null) return '';
  const record = input as Record<string, unknown>;
  for (const key of ['streamId', 'path', 'jobId', 'archive', 'dir', 'scheduleId', 'name']) if (typeof record[key] === 'string') return record[key];
  return '';
}
