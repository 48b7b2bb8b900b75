import type { MethodName } from '../../../shared/api/contract.js';
import type { AnyHandler, Handlers } from '../handler.js';

/**
 * The handlers of each domain (the part of a method's name before the dot), loaded on first use: a CLI
 * command loads the code of what it calls and nothing else (the archive code, the server, the views).
 */
const domains = {
  session: () => import('./session.js').then((m) => m.sessionHandlers),
  store: () => import('./store.js').then((m) => m.storeHandlers),
  streams: () => import('./streams.js').then((m) => m.streamHandlers),
  events: () => import('./events.js').then((m) => m.eventHandlers),
  jobs: () => import('./jobs.js').then((m) => m.jobHandlers),
  live: () => import('./live.js').then((m) => m.liveHandlers),
  backup: () => import('./backup.js').then((m) => m.backupHandlers),
  recovery: () => import('./recovery.js').then((m) => m.recoveryHandlers),
};
type Domains = typeof domains;
type DomainOf<M extends string> = M extends `${infer D}.${string}` ? D : never;
type Loaded = { [D in keyof Domains]: Awaited<ReturnType<Domains[D]>> };

// Compile-time checks of the table: every method's domain module has its handler (a method of an unknown
// domain counts as missing), with the type the contract gives it.
type MissingHandlers = { [M in MethodName]: DomainOf<M> extends keyof Loaded ? (M extends keyof Loaded[DomainOf<M>] ? never : M) : M }[MethodName];
const complete: [MissingHandlers] extends [never] ? true : MissingHandlers = true;
type Mistyped = { [D in keyof Loaded]: Loaded[D] extends Partial<Handlers> ? never : D }[keyof Loaded];
const typed: [Mistyped] extends [never] ? true : Mistyped = true;
void complete;
void typed;

const loaded = new Map<string, Readonly<Record<string, AnyHandler>>>();

function domainOf(method: MethodName): keyof Domains {
  return method.slice(0, method.indexOf('.')) as keyof Domains;
}

/** The handler of a method, loading its domain's module the first time. */
export async function loadHandler(method: MethodName): Promise<AnyHandler> {
  const domain = domainOf(method);
  let table = loaded.get(domain);
  if (table === undefined) {
    table = (await domains[domain]()) as unknown as Readonly<Record<string, AnyHandler>>;
    loaded.set(domain, table);
  }
  return table[method]!;
}

/** The handler of a method if its domain is loaded already (subscriptions attach at once then). */
export function loadedHandler(method: MethodName): AnyHandler | undefined {
  return loaded.get(domainOf(method))?.[method];
}

/** Loads every domain: the console (not a one-shot command) has all of them ready before the first call. */
export async function loadAllHandlers(): Promise<void> {
  await Promise.all((Object.keys(domains) as Array<keyof Domains>).map(async (d) => loaded.set(d, (await domains[d]()) as unknown as Readonly<Record<string, AnyHandler>>)));
}
