import { z } from 'zod';
import { appendRequestSchema, eventIdSchema, streamIdSchema, type AppendResult, type StreamSummary } from '../events.js';
import type { VerifyReport } from '../integrity.js';
import type { JobInfo, JobProgress } from '../jobs.js';
import { backupContract } from './backupContract.js';
import { recoveryContract } from './recoveryContract.js';
import { command, job, query, readsChanged, subscription, type Changes } from './define.js';
import type { LossRecord, OpenProblem, StoreStats } from '../store.js';
import type {
  EventDetail,
  EventPage,
  EventRateSeries,
  EventTypeCount,
  HeadNotice,
  LiveBatch,
  RecentStore,
  SessionInfo,
  StoreOverview,
} from './types.js';

const empty = z.object({}).strict();
const pageLimit = z.number().int().min(1).max(1000);

/** A store `store.init` created. */
export interface StoreCreated {
  readonly storeId: string;
  readonly path: string;
  readonly formatVersion: number;
}

export interface StoreStatsReport extends StoreStats {
  /** Losses of events not acknowledged yet (a head behind a recorded one): writes are refused meanwhile. */
  readonly problems: readonly OpenProblem[];
  /** Every loss recorded in the store, acknowledged or not (the evidence stays). */
  readonly losses: readonly LossRecord[];
}

/** What `store.acknowledgeLoss` accepted: the losses it acknowledged (none when there were none), and the head writes resume from. */
export interface LossAcknowledgement {
  readonly acknowledged: readonly LossRecord[];
  readonly headPosition: number;
  readonly headHash: string;
}

/** A page of events as NDJSON text. */
export interface EventLines {
  /** One event per line, each ending in a newline; empty when the range is exhausted. */
  readonly ndjson: string;
  readonly events: number;
  /** Pass as `cursor` for the next page; null after the last. */
  readonly cursor: number | null;
}

export interface ImportResult {
  readonly imported: number;
  readonly skipped: number;
  readonly headPosition: number;
}

export const EVENT_RATE_RANGES = ['15m', '1h', '24h', '7d'] as const;
export type EventRateRange = (typeof EVENT_RATE_RANGES)[number];

export interface StreamPage {
  readonly streams: readonly StreamSummary[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly nextAfter: string | null;
  /** Streams in the store (not only those matching the search). */
  readonly totalStreams: number;
}

/**
 * The API: every call the console (Electron IPC or serve-mode WebSocket) can make, declared once. Main
 * validates every input against these schemas and checks the role before any handler runs; handler
 * types, the preload bridge, the renderer client and its query keys are all derived from this table.
 * Add entries; never change the meaning of an existing one.
 */
export const contract = {
  'session.info': query(empty, 'viewer', 'Who is calling, on which transport, and which store is open', ['session']).returns<SessionInfo>(),

  'store.overview': query(empty, 'viewer', 'Size, positions, durability, integrity and read-model lag of the open store', ['log', 'streams', 'integrity', 'backups']).returns<StoreOverview>(),
  'store.eventRate': query(z.object({ range: z.enum(EVENT_RATE_RANGES) }).strict(), 'viewer', 'Events appended per bucket of time', ['log']).returns<EventRateSeries>(),
  'store.verify': job(empty, 'auditor', 'Check the whole store: integrity_check, hash chain, streams table', ['integrity']).returns<VerifyReport, JobProgress>(),
  'store.init': command(z.object({ path: z.string().min(1).max(4096) }).strict(), 'admin', 'Create a new store in an empty or absent folder (the open store stays open)', []).returns<StoreCreated>(),
  'store.stats': query(empty, 'viewer', 'Id, format, counts, head, sizes, durability and open problems of the open store', ['log', 'streams']).returns<StoreStatsReport>(),
  'store.acknowledgeLoss': command(
    z.object({ confirmStoreName: z.string().min(1).max(4096) }).strict(),
    'admin',
    "Accept the log as it is after a detected loss of events (the loss stays on record, acknowledged): writes resume. Confirm with the store folder's name",
    ['integrity'],
  ).returns<LossAcknowledgement>(),
  'store.recent': query(empty, 'viewer', 'Stores opened recently on this machine', ['session']).returns<RecentStore[]>(),
  'store.open': command(z.object({ path: z.string().min(1).max(4096).optional() }).strict(), 'admin', 'Open another store (desktop only; no path: a folder dialog)', 'everything').returns<SessionInfo>(),
  'store.create': command(z.object({ path: z.string().min(1).max(4096).optional() }).strict(), 'admin', 'Create and open a new store (desktop only; no path: a folder dialog)', 'everything').returns<SessionInfo>(),
  'store.loadDemo': job(
    z
      .object({
        events: z.number().int().min(1).max(2_000_000).default(100_000),
        streams: z.number().int().min(1).max(200_000).default(10_000),
      })
      .strict(),
    'operator',
    'Append a generated demo domain (orders, payments, shipments) with correlation and causation ids',
    ['log', 'streams'],
  ).returns<{ events: number; streams: number; headPosition: number }, JobProgress>(),

  'streams.list': query(
    z
      .object({
        after: z.string().max(1024).optional(),
        search: z.string().max(256).optional(),
        limit: pageLimit.default(100),
      })
      .strict(),
    'viewer',
    'A page of streams in id order, optionally filtered by a search text',
    ['streams'],
  ).returns<StreamPage>(),
  'streams.get': query(z.object({ streamId: streamIdSchema }).strict(), 'viewer', 'One stream', ['streams']).returns<StreamSummary>(),

  'events.page': query(
    z
      .object({
        streamId: streamIdSchema.optional(),
        /** A global position, or a stream version when streamId is given. */
        from: z.number().int().min(0),
        limit: pageLimit,
        direction: z.enum(['forwards', 'backwards']).default('forwards'),
      })
      .strict(),
    'viewer',
    'A page of events of the whole log or of one stream',
    ['log'],
  ).returns<EventPage>(),
  'events.get': query(
    z.union([z.object({ position: z.number().int().min(1) }).strict(), z.object({ eventId: eventIdSchema }).strict()]),
    'viewer',
    'One event with its causation and correlation links',
    ['log'],
  ).returns<EventDetail>(),
  'events.export': query(
    z
      .object({
        streamId: streamIdSchema.optional(),
        /** Inclusive global positions (DESIGN §6), for the whole log and for one stream alike. */
        from: z.number().int().min(0).optional(),
        to: z.number().int().min(0).optional(),
        backwards: z.boolean().default(false),
        /** Where the previous page ended (its `cursor`); absent for the first page. */
        cursor: z.number().int().min(-1).optional(),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
    'viewer',
    'A page of events as NDJSON lines (DESIGN §6b), as export writes them: text kept as stored, for any number of pages',
    ['log'],
  ).returns<EventLines>(),
  'events.import': job(
    z
      .object({
        /** An NDJSON file (absolute path), or `-` for the caller's standard input (the CLI only). */
        file: z.string().min(1).max(4096),
        batchSize: z.number().int().min(1).max(100_000).default(1000),
      })
      .strict(),
    'operator',
    'Import NDJSON events (new events, or an export with its positions and hashes), checking every line before writing',
    ['log', 'streams'],
  ).returns<ImportResult, JobProgress>(),
  'events.types': query(empty, 'viewer', 'Event types with their counts', ['log']).returns<EventTypeCount[]>(),
  'events.append': command(appendRequestSchema, 'operator', 'Append events to a stream with an expected version', ['log', 'streams']).returns<AppendResult>(),

  'jobs.list': query(empty, 'viewer', 'Running and recent jobs', ['jobs']).returns<JobInfo[]>(),
  'jobs.cancel': command(z.object({ jobId: z.string().min(1).max(64) }).strict(), 'operator', 'Cancel a running job', ['jobs']).returns<{ cancelled: boolean }>(),

  'live.events': subscription(
    z
      .object({
        fromPosition: z.number().int().min(0).optional(),
        types: z.array(z.string().max(256)).max(100).optional(),
        streamPrefix: z.string().max(256).optional(),
      })
      .strict(),
    'viewer',
    'New events as they are appended by any process',
  ).returns<LiveBatch>(),
  'live.head': subscription(empty, 'viewer', 'The head of the log as it moves').returns<HeadNotice>(),
  'jobs.updates': subscription(z.object({ jobId: z.string().max(64).optional() }).strict(), 'viewer', 'Job progress and results').returns<JobInfo>(),

  ...backupContract,
  ...recoveryContract,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type KindOf<M extends MethodName> = Contract[M]['kind'];
export type MethodsOfKind<K> = { [M in MethodName]: KindOf<M> extends K ? M : never }[MethodName];

/** What the caller passes (defaults may be omitted). */
export type InputOf<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives (after parsing, defaults applied). */
export type ParsedInputOf<M extends MethodName> = z.output<Contract[M]['input']>;
/** A query/command's value, a job's result, or one push of a subscription. */
export type OutputOf<M extends MethodName> = NonNullable<Contract[M]['output']>;
export type ProgressOf<M extends MethodName> = NonNullable<Contract[M]['progress']>;

/** What a call returns on the wire: the value, `{ jobId }` for a job. */
export type CallResultOf<M extends MethodName> = KindOf<M> extends 'job' ? { jobId: string } : OutputOf<M>;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

/** The queries whose answers are stale once `changes` happened (the renderer refetches those it shows). */
export function queriesStaleAfter(changes: Changes): Array<MethodsOfKind<'query'>> {
  return METHOD_NAMES.filter((m): m is MethodsOfKind<'query'> => contract[m].kind === 'query' && readsChanged(contract[m].reads, changes));
}

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
