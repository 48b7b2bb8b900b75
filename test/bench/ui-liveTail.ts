import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LoopStats } from '../../main/server/loopStats.js';
import { EventStore } from '../../main/store/eventStore.js';
import { PACKAGE_ROOT } from '../../main/platform/packageInfo.js';
import { fmt } from './harness.js';
import type { AppenderConfig, AppenderResult } from './ui-appender.js';
import {
  caughtUpDemoStore,
  collectGarbage,
  describeFrames,
  frameStats,
  idleFrames,
  load,
  loopRow,
  newConsoleContext,
  openSignedIn,
  pageMetrics,
  requireBuilt,
  serve,
  startFrames,
  startIdleLoopProbe,
  stopFrames,
  uiBenchmark,
  uiDir,
  withBrowser,
  type IdleLoopProbe,
  type Log,
  type PageMetrics,
  type UiRow,
} from './ui-harness.js';

const RATE = Number(process.env.BENCH_UI_RATE ?? 5000);
const SECONDS = Number(process.env.BENCH_UI_SECONDS ?? 60);
const WARM_UP_MS = 5000;
const APPENDER = fileURLToPath(new URL('./ui-appender.ts', import.meta.url));

interface Appender {
  readonly ready: Promise<void>;
  go(): void;
  readonly done: Promise<AppenderResult>;
  kill(): void;
}

function startAppender(config: AppenderConfig): Appender {
  const child = spawn(process.execPath, ['--import', 'tsx', APPENDER, JSON.stringify(config)], { cwd: PACKAGE_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const lines = createInterface({ input: child.stdout });
  let isReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (isReady = resolve));
  let finished: (result: AppenderResult) => void = () => undefined;
  const done = new Promise<AppenderResult>((resolve, reject) => {
    finished = resolve;
    child.once('close', (code) => reject(new Error(`the appender exited ${code} without a result: ${stderr}`)));
  });
  lines.on('line', (line) => {
    if (line === 'ready') isReady();
    else finished(JSON.parse(line) as AppenderResult);
  });
  // Without this, a failure to start would leave `ready` pending forever.
  void done.catch(() => isReady());
  return {
    ready,
    go: () => child.stdin.write('go\n'),
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

const mb = (n: number) => `${fmt(n, 1)} MB`;

/** How far the console views (views.db) are behind the log of a closed store. */
function viewsLag(dir: string): { position: number; head: number; lag: number } {
  const store = EventStore.open(dir, { readonly: true });
  const views = new Database(join(dir, 'views.db'), { readonly: true });
  try {
    const head = store.head().position;
    const position = (views.prepare("SELECT position FROM checkpoints WHERE projection = 'console'").get() as { position: number } | undefined)?.position ?? 0;
    return { position, head, lag: head - position };
  } finally {
    views.close();
    store.close();
  }
}

/**
 * Budgets 2 and 3: the live tail open while another process appends RATE events/s for SECONDS: frame time
 * p95 < 50 ms and a bounded renderer heap (CDP JSHeapUsedSize), and the serve process's event-loop delay
 * p99 < 20 ms (PCONSOLE_LOOP_STATS, measured inside it over its whole run).
 */
export async function runUiLiveTail(log: Log): Promise<UiRow[]> {
  requireBuilt();
  const dir = uiDir('live-tail');
  const store = caughtUpDemoStore(join(dir, 'store'), log);
  const served = await serve(store, { loopStatsFile: join(dir, 'loop-stats.json') });
  let appender: Appender | undefined;
  let rows: UiRow[];
  let loop: LoopStats | undefined;
  let appended: AppenderResult | undefined;
  let idleLoop: IdleLoopProbe | undefined;
  let idle: LoopStats | undefined;
  try {
    rows = await withBrowser(async (browser) => {
      const context = await newConsoleContext(browser);
      const page = await openSignedIn(context, served, '#/streams?tab=live');
      await page.getByTestId('live-status').getByText('Following').waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1000);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const idlePage = frameStats(await idleFrames(page, 2000));
      log(`idle live tail: ${describeFrames(idlePage)}`);

      appender = startAppender({ store, perSecond: RATE, seconds: SECONDS + (WARM_UP_MS + 5000) / 1000 });
      await appender.ready;
      appender.go();
      await page.waitForTimeout(WARM_UP_MS);
      const loadBefore = load();
      await collectGarbage(cdp);
      const start = await pageMetrics(cdp);
      served.restartLoopStats();
      idleLoop = await startIdleLoopProbe();
      await startFrames(page);
      const samples: PageMetrics[] = [];
      const began = performance.now();
      while (performance.now() - began < SECONDS * 1000) {
        await page.waitForTimeout(2000);
        samples.push(await pageMetrics(cdp));
      }
      const frames = frameStats(await stopFrames(page));
      idle = await idleLoop.stop();
      const status = (await page.getByTestId('live-status').innerText()).replace(/\s+/g, ' ');
      const shown = await page.getByTestId('live-rows').locator('[data-position]').count();
      await collectGarbage(cdp);
      const end = await pageMetrics(cdp);
      const peak = Math.max(start.heapMb, ...samples.map((s) => s.heapMb));
      const peakNodes = Math.max(start.nodes, ...samples.map((s) => s.nodes));
      log(`live tail under ${fmt(RATE)} events/s: ${describeFrames(frames)}; load ${loadBefore} → ${load()}`);
      log(`heap start ${mb(start.heapMb)} (after GC), peak ${mb(peak)}, end ${mb(end.heapMb)} (after GC); DOM nodes ${fmt(start.nodes)} → peak ${fmt(peakNodes)} → ${fmt(end.nodes)}`);
      log(`page says: ${status}; ${shown} rows in the DOM`);
      await context.close();
      return [
        {
          name: `live tail at ${fmt(RATE)} events/s from another process, frame time p95`,
          value: frames.p95,
          unit: 'ms',
          baseline: idlePage.p95,
          baselineLabel: 'the same page with no appends',
          target: '< 50 ms',
          met: frames.p95 < 50,
          note: `${describeFrames(frames)} over ${SECONDS} s; the page said “${status}”; load ${loadBefore}`,
        },
        {
          name: `renderer JS heap after ${SECONDS} s of the live tail (after GC)`,
          value: end.heapMb,
          unit: 'MB',
          baseline: start.heapMb,
          baselineLabel: 'at the start, after GC',
          target: 'bounded: end ≤ 1.25× start',
          met: end.heapMb <= start.heapMb * 1.25,
          note: `peak ${mb(peak)} without forcing GC, sampled every 2 s; DOM nodes ${fmt(start.nodes)} → peak ${fmt(peakNodes)} → ${fmt(end.nodes)}`,
        },
      ];
    });
    appended = await appender?.done;
  } finally {
    appender?.kill();
    if (idle === undefined) await idleLoop?.stop();
    loop = await served.stop();
  }
  const views = viewsLag(store);
  log(`console views ${views.lag === 0 ? 'caught up' : `${fmt(views.lag)} events behind`} when the server stopped (position ${fmt(views.position)} of ${fmt(views.head)})`);
  const achieved = appended === undefined ? 'the appender did not report' : `the appender wrote ${fmt(appended.appended)} events in ${fmt(appended.seconds, 1)} s (${fmt(appended.appended / appended.seconds)}/s, ${appended.lateTicks} late ticks)`;
  log(`${achieved}; serve event loop: ${loop === undefined ? 'no figures' : `p50 ${fmt(loop.p50Ms, 1)} p99 ${fmt(loop.p99Ms, 1)} max ${fmt(loop.maxMs, 1)} ms`}; an idle node process meanwhile: ${idle === undefined ? 'no figures' : `p99 ${fmt(idle.p99Ms, 1)} max ${fmt(idle.maxMs, 1)} ms`}`);
  if (process.env.BENCH_UI_SERVE_NODE_ARGS !== undefined) log(`server output:\n${served.stdout()}`);
  const slow = served.stderr().split('\n').filter((l) => l.startsWith('slow call'));
  if (slow.length > 0) log(`the server logged ${slow.length} slow calls: ${slow.slice(0, 5).join('; ')}`);
  return [...rows, loopRow(`serve process event-loop delay p99 with the live tail at ${fmt(RATE)} events/s`, loop, idle, `${achieved}; measured inside the server over the ${SECONDS} s window; ${slow.length} slow calls logged`)];
}

export const uiLiveTail = uiBenchmark(
  'ui-live-tail',
  `live tail in Chromium while another process appends ${fmt(RATE)} events/s for ${SECONDS} s: frame times, renderer heap, serve event-loop delay`,
  runUiLiveTail,
);
