import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadDemo } from '../../main/demo/loadDemo.js';
import type { LoopStats } from '../../main/server/loopStats.js';
import { EventStore } from '../../main/store/eventStore.js';
import { PACKAGE_ROOT } from '../../main/platform/packageInfo.js';
import { catchUpViews } from '../../main/views/consoleViews.js';
import { BENCH_ROOT, EVENTS, fmt, percentile, sortedCopy, type BenchContext, type Benchmark } from './harness.js';

/**
 * Shared pieces of the console's browser benchmarks (ui-*.ts): the 1M-event demo store, serve mode as a
 * child process, Debian's Chromium driven by Playwright at 1280×800, frame times and heap read in the page.
 */

/** One measured figure of a UI benchmark. */
export interface UiRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  readonly baselineLabel?: string;
  readonly ratio?: number;
  readonly target: string;
  readonly met: boolean;
  readonly note?: string;
}

export type Log = (message: string) => void;

/** A UI benchmark for test/bench/index.ts: runs `run` and reports its rows. */
export function uiBenchmark(name: string, description: string, run: (log: Log) => Promise<UiRow[]>): Benchmark {
  return {
    name,
    description,
    async run(ctx: BenchContext) {
      const rows = await run((m) => ctx.log(m));
      for (const { name: what, ...row } of rows) ctx.report({ what, ...row });
    },
  };
}

/** BENCH_UI_CONSOLE_ROOT runs another build of the console (e.g. a copy of an earlier version, for a before/after). */
const CONSOLE_ROOT = process.env.BENCH_UI_CONSOLE_ROOT ?? PACKAGE_ROOT;
export const CLI = join(CONSOLE_ROOT, 'dist', 'main', 'cli', 'index.js');
/** BENCH_UI_DIR moves the UI benchmarks' stores elsewhere (e.g. to run one of them beside a full `npm run bench`). */
const UI_ROOT = process.env.BENCH_UI_DIR ?? join(BENCH_ROOT, 'ui');
const PRISTINE = join(UI_ROOT, 'demo-store');
const CAUGHT_UP = join(UI_ROOT, 'demo-store-views');

export function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** The UI benchmarks run the built console: built here when it is missing (a benchmark run alone, not through `npm run bench`). */
export function requireBuilt(): void {
  const files = [CLI, join(CONSOLE_ROOT, 'dist', 'renderer', 'index.html')];
  if (files.every((f) => existsSync(f))) return;
  if (CONSOLE_ROOT === PACKAGE_ROOT && spawnSync('npm', ['run', 'build'], { cwd: PACKAGE_ROOT, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
  for (const file of files) if (!existsSync(file)) throw new Error(`${file} is missing: the UI benchmarks run the built console (npm run build)`);
}

function copyClosedStore(from: string, to: string): string {
  // The source store is closed: its WAL was checkpointed and removed, so the files are the whole store.
  if (existsSync(join(from, 'events.db-wal'))) throw new Error(`${from} is still open (it has a WAL)`);
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  return to;
}

/**
 * A copy of the demo store (EVENTS events, default 1M, ~10 per stream, correlation and causation ids,
 * spread over the last two hours) whose console views have not caught up: as a store looks when it is
 * first opened after an import or a restore. Built once per run.
 */
export function freshDemoStore(dest: string, log: Log): string {
  if (!existsSync(join(PRISTINE, 'ready'))) {
    const started = performance.now();
    log(`(building the ${fmt(EVENTS)}-event demo store through the engine, once for all UI benchmarks…)`);
    rmSync(PRISTINE, { recursive: true, force: true });
    mkdirSync(UI_ROOT, { recursive: true });
    EventStore.create(PRISTINE).close();
    loadDemo({ dir: PRISTINE, events: EVENTS, streams: Math.max(100, Math.round(EVENTS / 10)) }, { progress: () => undefined, isCancelled: () => false });
    writeFileSync(join(PRISTINE, 'ready'), '');
    log(`(built in ${fmt((performance.now() - started) / 1000, 1)} s)`);
  }
  return copyClosedStore(PRISTINE, dest);
}

/** A copy of the demo store whose console views are at the head (the state after it was opened once). */
export function caughtUpDemoStore(dest: string, log: Log): string {
  if (!existsSync(join(CAUGHT_UP, 'ready'))) {
    freshDemoStore(CAUGHT_UP, log);
    rmSync(join(CAUGHT_UP, 'ready'), { force: true });
    const started = performance.now();
    const store = EventStore.open(CAUGHT_UP);
    try {
      catchUpViews(store);
    } finally {
      store.close();
    }
    writeFileSync(join(CAUGHT_UP, 'ready'), '');
    log(`(console views caught up with the demo store in ${fmt((performance.now() - started) / 1000, 1)} s)`);
  }
  return copyClosedStore(CAUGHT_UP, dest);
}

/** `pconsole serve` as a child process. */
export interface Served {
  /** The one-time sign-in URL. */
  readonly url: string;
  readonly origin: string;
  readonly store: string;
  /** What the server printed to stderr so far (slow calls, errors). */
  stderr(): string;
  /** What it printed to stdout after its first line. */
  stdout(): string;
  /** Starts the event-loop record again (SIGUSR2): what `stop` returns covers the time since. */
  restartLoopStats(): void;
  /** SIGTERM, wait for the exit; returns the event-loop figures when PCONSOLE_LOOP_STATS was given. */
  stop(): Promise<LoopStats | undefined>;
}

export async function serve(store: string, options: { readonly loopStatsFile?: string } = {}): Promise<Served> {
  const env = { ...process.env, ...(options.loopStatsFile === undefined ? {} : { PCONSOLE_LOOP_STATS: options.loopStatsFile }) };
  // BENCH_UI_SERVE_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server while a benchmark drives it.
  const nodeArgs = (process.env.BENCH_UI_SERVE_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [...nodeArgs, CLI, 'serve', store, '--port', '0', '--json'], { cwd: CONSOLE_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stdout = '';
  let announced = false;
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pconsole serve printed nothing in 60 s: ${stderr}`)), 60_000);
    // The JSON line; anything else (e.g. node's --trace-gc lines when profiling) is kept for the caller.
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!announced && line.startsWith('{')) {
        announced = true;
        clearTimeout(timer);
        resolve(line);
      } else stdout += line + '\n';
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pconsole serve exited ${code}: ${stderr}`));
    });
  });
  const started = JSON.parse(first) as { url: string; origin: string; store: string };
  return {
    url: started.url,
    origin: started.origin,
    store: started.store,
    stderr: () => stderr,
    stdout: () => stdout,
    restartLoopStats: () => child.kill('SIGUSR2'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      if (options.loopStatsFile === undefined || !existsSync(options.loopStatsFile)) return undefined;
      return JSON.parse(readFileSync(options.loopStatsFile, 'utf8')) as LoopStats;
    },
  };
}

/** GET the sign-in URL and keep the session cookie from its 303 answer (the browser then skips the redirect). */
export function signIn(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      res.resume();
      const cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).find((c) => c.startsWith('pconsole_session='));
      if (res.statusCode !== 303 || cookie === undefined) reject(new Error(`signing in answered ${res.statusCode} without a session cookie`));
      else resolve(cookie.slice('pconsole_session='.length));
    });
    req.on('error', reject);
    req.end();
  });
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function newConsoleContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', locale: 'en-US', timezoneId: 'UTC' });
  // tsx compiles these modules with esbuild's keepNames, which wraps the functions given to page.evaluate
  // in calls to a `__name` helper that the page does not have.
  await context.addInitScript('globalThis.__name = (fn) => fn;');
  return context;
}

/** Opens the console at `hash` signed in through a cookie (as the e2e fixtures do). */
export async function openSignedIn(context: BrowserContext, served: Served, hash: string): Promise<Page> {
  const session = await signIn(served.url);
  await context.addCookies([{ name: 'pconsole_session', value: session, url: served.origin, httpOnly: true, sameSite: 'Strict' }]);
  const page = await context.newPage();
  await page.goto(`${served.origin}/${hash}`);
  await page.getByTestId('status-connection').and(page.locator('[data-state="open"]')).waitFor({ timeout: 30_000 });
  return page;
}

/** Frame-time statistics of requestAnimationFrame deltas. */
export interface FrameStats {
  readonly frames: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Frames longer than 50 ms. */
  readonly long: number;
}

export function frameStats(deltas: readonly number[]): FrameStats {
  const sorted = sortedCopy(deltas);
  return { frames: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, long: sorted.filter((d) => d > 50).length };
}

export function describeFrames(s: FrameStats): string {
  return `${fmt(s.frames)} frames, p50 ${fmt(s.p50, 1)} / p95 ${fmt(s.p95, 1)} / p99 ${fmt(s.p99, 1)} / max ${fmt(s.max, 1)} ms, ${s.long} over 50 ms`;
}

/** rAF deltas for `ms` of a page left alone: what this machine's load does to frames without our work. */
export async function idleFrames(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(
    (duration) =>
      new Promise<number[]>((resolve) => {
        const deltas: number[] = [];
        let last: number | null = null;
        let first: number | null = null;
        const tick = (now: number) => {
          if (last !== null) deltas.push(now - last);
          last = now;
          first ??= now;
          if (now - first >= duration) resolve(deltas);
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

/** Starts collecting rAF deltas in the page until `stopFrames` returns them. */
export async function startFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __benchFrames?: { deltas: number[]; stop: boolean } };
    const state = { deltas: [] as number[], stop: false };
    w.__benchFrames = state;
    let last: number | null = null;
    const tick = (now: number) => {
      if (last !== null) state.deltas.push(now - last);
      last = now;
      if (!state.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

export async function stopFrames(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __benchFrames?: { deltas: number[]; stop: boolean } };
    const state = w.__benchFrames;
    if (state === undefined) return [];
    state.stop = true;
    return state.deltas;
  });
}

/** The renderer's JS heap and DOM size from CDP Performance.getMetrics. */
export interface PageMetrics {
  readonly heapMb: number;
  readonly nodes: number;
}

export async function pageMetrics(cdp: CDPSession): Promise<PageMetrics> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { heapMb: get('JSHeapUsedSize') / 2 ** 20, nodes: get('Nodes') };
}

export async function collectGarbage(cdp: CDPSession): Promise<void> {
  await cdp.send('HeapProfiler.collectGarbage');
}

/** Runs `work` with a browser, closing it (and whatever `cleanup` holds) however it ends. */
export async function withBrowser<T>(work: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchChromium();
  try {
    return await work(browser);
  } finally {
    await browser.close();
  }
}

// An idle node process measuring its own event loop the way PCONSOLE_LOOP_STATS does: what the machine's
// load alone (scheduling delays on shared cores) does to a loop that has nothing to do.
const IDLE_PROBE = `
import { monitorEventLoopDelay } from 'node:perf_hooks';
const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
const started = performance.now();
const keepAlive = setInterval(() => undefined, 1 << 30);
process.once('SIGTERM', () => {
  h.disable();
  clearInterval(keepAlive);
  const late = (ns) => Math.max(0, ns / 1e6 - 5);
  process.stdout.write(JSON.stringify({ resolutionMs: 5, samples: h.count, seconds: (performance.now() - started) / 1000, meanMs: late(h.mean),
    p50Ms: late(h.percentile(50)), p90Ms: late(h.percentile(90)), p99Ms: late(h.percentile(99)), maxMs: late(h.max) }) + '\\n');
});
process.stdout.write('ready\\n');
`;

export interface IdleLoopProbe {
  stop(): Promise<LoopStats | undefined>;
}

export async function startIdleLoopProbe(): Promise<IdleLoopProbe> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', IDLE_PROBE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const received: string[] = [];
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => (line === 'ready' ? resolve() : received.push(line)));
    child.once('exit', (code) => reject(new Error(`the idle loop probe exited ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      return received.length === 0 ? undefined : (JSON.parse(received[0]!) as LoopStats);
    },
  };
}

export function loopRow(name: string, stats: LoopStats | undefined, idle: LoopStats | undefined, note: string): UiRow {
  const p99 = stats?.p99Ms ?? NaN;
  return {
    name,
    value: p99,
    unit: 'ms',
    ...(idle === undefined ? {} : { baseline: idle.p99Ms, baselineLabel: 'an idle node process on the machine, same window' }),
    target: '< 20 ms',
    met: p99 < 20,
    note:
      (stats === undefined ? 'no figures were written' : `p50 ${fmt(stats.p50Ms, 1)}, p90 ${fmt(stats.p90Ms, 1)}, max ${fmt(stats.maxMs, 1)} ms over ${fmt(stats.seconds, 0)} s`) +
      (idle === undefined ? '' : `; the idle process: p99 ${fmt(idle.p99Ms, 1)}, max ${fmt(idle.maxMs, 1)} ms`) +
      `; ${note}`,
  };
}

export function uiDir(name: string): string {
  const dir = join(UI_ROOT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
