import { contract, isMethodName, type MethodName } from '../../shared/api/contract.js';
import type { Result } from '../../shared/api/wire.js';
import { ConsoleError, toErrorInfo, type ErrorInfo } from '../../shared/errors.js';
import { roleAllows, type Principal } from '../../shared/security.js';
import { parseInput } from '../../shared/validation.js';
import type { ConsoleHost } from '../host/index.js';
import type { CallContext, Handlers, JobHandlerResult } from './handler.js';
import { CallStatistics } from './statistics.js';

type AnyHandler = (input: unknown, ctx: CallContext, push?: (value: unknown) => void) => unknown;

export interface SubscriptionHandle {
  unsubscribe(): void;
}

/**
 * The one path every call takes, whichever transport carried it: the transport has already established
 * the principal; here the method is looked up, the input parsed against its schema, the role checked,
 * and only then the handler runs. Answers are `{ ok, value } | { ok: false, error }`, never a throw.
 */
export class ApiPipeline {
  readonly statistics = new CallStatistics();

  constructor(
    private readonly host: ConsoleHost,
    private readonly handlers: Handlers,
  ) {}

  async call(principal: Principal, method: unknown, rawInput: unknown): Promise<Result<unknown>> {
    const started = performance.now();
    const known = isMethodName(method) ? method : undefined;
    try {
      const name = this.admit(principal, method, 'call');
      const input = parse(name, rawInput);
      const handler = this.handlers[name] as AnyHandler;
      const ctx: CallContext = { host: this.host, principal };
      const kind = contract[name].kind;
      if (kind === 'job') return { ok: true, value: this.startJob(name, handler(input, ctx) as JobHandlerResult<unknown>, principal) };
      const value = await handler(input, ctx);
      if (kind === 'command') this.host.audit({ actor: principal.name, action: name, target: auditTarget(input), outcome: 'ok' });
      return { ok: true, value };
    } catch (error) {
      const info = toErrorInfo(error);
      // Refused and failed commands are audited too: an attempt is part of the record.
      if (known !== undefined && contract[known].kind !== 'query' && contract[known].kind !== 'subscription')
        this.host.audit({ actor: principal.name, action: known, target: auditTarget(rawInput), outcome: info.code === 'FORBIDDEN' ? 'denied' : 'failed', details: { code: info.code } });
      if (info.code === 'INTERNAL') process.stderr.write(`internal error in ${String(method)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return { ok: false, error: info };
    } finally {
      if (known !== undefined) this.statistics.record(known, performance.now() - started);
    }
  }

  /**
   * Starts a subscription; `push` receives each value, `end` is called once if it ends from this side.
   * Returns a handle, or the error that refused it.
   */
  subscribe(principal: Principal, method: unknown, rawInput: unknown, push: (value: unknown) => void, end: (error: ErrorInfo | null) => void): Result<SubscriptionHandle> {
    try {
      const name = this.admit(principal, method, 'subscribe');
      const input = parse(name, rawInput);
      const handler = this.handlers[name] as AnyHandler;
      let ended = false;
      const safePush = (value: unknown) => {
        if (ended) return;
        try {
          push(value);
        } catch (error) {
          ended = true;
          end(toErrorInfo(error));
        }
      };
      const unsubscribe = handler(input, { host: this.host, principal }, safePush) as () => void;
      return {
        ok: true,
        value: {
          unsubscribe: () => {
            ended = true;
            unsubscribe();
          },
        },
      };
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

  private startJob(name: MethodName, spec: JobHandlerResult<unknown>, principal: Principal): { jobId: string } {
    this.host.audit({ actor: principal.name, action: name, target: spec.target, outcome: 'started' });
    const { info, done } = this.host.jobs.start(name, principal.name, { label: spec.label, run: (ctx) => spec.run(ctx) });
    done.then(
      () => this.host.audit({ actor: principal.name, action: name, target: spec.target, outcome: 'ok', details: { jobId: info.id } }),
      (error: unknown) =>
        this.host.audit({ actor: principal.name, action: name, target: spec.target, outcome: 'failed', details: { jobId: info.id, code: toErrorInfo(error).code } }),
    );
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
  for (const key of ['streamId', 'path', 'jobId', 'archive', 'name']) if (typeof record[key] === 'string') return record[key];
  return '';
}
