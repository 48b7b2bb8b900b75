import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { WritableDB } from '../../main/platform/sqlite.js';
import { initial } from '../../main/store/migrations/events/0001-initial.js';
import { PACKAGE_ROOT } from '../../main/platform/packageInfo.js';

/** Everything the benchmarks write lives here (git-ignored) and is deleted when the run ends. */
export const BENCH_ROOT = join(PACKAGE_ROOT, '.bench-data');

/** The size of the big runs; BENCH_EVENTS=100000 gives a quick run while developing. */
export const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
export const BATCH = 1000;

export interface Figure {
  readonly bench: string;
  /** What was measured, e.g. "batched append, events/s". */
  readonly what: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  readonly baselineLabel?: string;
  /** value / baseline. */
  readonly ratio?: number;
  /** e.g. "≥ 0.70×"; absent for figures that are only reported. */
  readonly target?: string;
  readonly met?: boolean;
  readonly note?: string;
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(ctx: BenchContext): Promise<void>;
}

export interface BenchContext {
  /** A folder of this benchmark's own under BENCH_ROOT, emptied when it ends. */
  readonly dir: string;
  readonly fixtures: Fixtures;
  report(figure: Omit<Figure, 'bench' | 'ratio'> & { ratio?: number }): void;
  log(message: string): void;
}

/** Shared data sets built once per run, by the first benchmark that needs them. */
export interface Fixtures {
  /** Where the store of EVENTS engine-written events lives (outside any one benchmark's folder). */
  readonly engineStoreDir: string;
  /** That store, built now unless append-batch already wrote it in this run. */
  engineStore(): string;
  /** append-batch wrote the store at engineStoreDir: the read benchmarks need not write another. */
  engineStoreBuilt(): void;
}

export function freshDir(path: string): string {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return path;
}

/**
 * A bare better-sqlite3 database with the store's events table shape: the same DDL (the real migration),
 * WAL and the same synchronous setting. No engine code runs on it afterwards.
 */
export function openBare(path: string, synchronous: 'FULL' | 'NORMAL' = 'FULL'): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  initial.up(db as WritableDB);
  return db;
}

export const BARE_INSERT =
  'INSERT INTO events (global_position, event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** The constant the bare baselines store instead of computing a hash. */
export const CONSTANT_HASH = 'f'.repeat(64);

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

export function median(values: readonly number[]): number {
  return percentile(sortedCopy(values), 50);
}

export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Lets pending I/O callbacks and timers run between measured phases. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
