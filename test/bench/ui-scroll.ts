import type { CDPSession } from '@playwright/test';
import { join } from 'node:path';
import { EVENTS, fmt } from './harness.js';
import {
  caughtUpDemoStore,
  describeFrames,
  frameStats,
  idleFrames,
  load,
  newConsoleContext,
  openSignedIn,
  requireBuilt,
  serve,
  uiBenchmark,
  uiDir,
  withBrowser,
  type Log,
  type UiRow,
} from './ui-harness.js';

/** One stretch of the scroll: steady scrolling at a speed, or a jump to a fraction of the list and a pause. */
interface Phase {
  readonly name: string;
  readonly seconds: number;
  readonly pxPerSecond?: number;
  readonly jumpTo?: number;
}

interface PhaseResult {
  readonly name: string;
  readonly deltas: number[];
  /** After a jump: ms until the rows at the new place showed their events. */
  readonly filledAfterMs: number | null;
}

// A wheel or trackpad scroll runs at ~1,000–3,000 px/s; a fling of the scrollbar much faster. 26 px rows.
const PHASES: readonly Phase[] = [
  { name: 'steady down, 2,000 px/s', seconds: 4, pxPerSecond: 2000 },
  { name: 'fling, 12,000 px/s', seconds: 2, pxPerSecond: 12_000 },
  { name: 'jump to the middle', seconds: 1.5, jumpTo: 0.5 },
  { name: 'steady up, 2,000 px/s', seconds: 3, pxPerSecond: -2000 },
  { name: 'jump near the end', seconds: 1.5, jumpTo: 0.95 },
];

/** Runs the phases in the page, setting scrollTop once per animation frame from the time elapsed. */
function scrollInPage(phases: readonly Phase[]): Promise<PhaseResult[]> {
  const el = document.querySelector<HTMLElement>('[data-testid="event-list"]');
  if (el === null) throw new Error('no event list on the page');
  const rowHeight = 26;
  const run = (p: Phase) =>
    new Promise<PhaseResult>((resolve) => {
      const deltas: number[] = [];
      let filledAfterMs: number | null = null;
      let last: number | null = null;
      let start: number | null = null;
      let top0 = 0;
      const tick = (now: number) => {
        if (last !== null) deltas.push(now - last);
        last = now;
        if (start === null) {
          start = now;
          if (p.jumpTo !== undefined) el.scrollTop = p.jumpTo * (el.scrollHeight - el.clientHeight);
          top0 = el.scrollTop;
        } else if (p.pxPerSecond !== undefined) el.scrollTop = top0 + (p.pxPerSecond * (now - start)) / 1000;
        if (p.jumpTo !== undefined && filledAfterMs === null && now > start) {
          const row = Math.floor(el.scrollTop / rowHeight) + 2;
          if (el.querySelector(`[aria-rowindex="${row}"][data-position]`) !== null && el.querySelector('.event-row--loading') === null) filledAfterMs = now - start;
        }
        if (now - start >= p.seconds * 1000) resolve({ name: p.name, deltas, filledAfterMs });
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
  return phases.reduce<Promise<PhaseResult[]>>(async (done, p) => [...(await done), await run(p)], Promise.resolve([]));
}

interface MainThreadTimes {
  readonly task: number;
  readonly script: number;
  readonly layout: number;
}

/** Cumulative main-thread times of the page's renderer, in ms. */
async function mainThreadTimes(cdp: CDPSession): Promise<MainThreadTimes> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const ms = (name: string) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
  return { task: ms('TaskDuration'), script: ms('ScriptDuration'), layout: ms('LayoutDuration') + ms('RecalcStyleDuration') };
}

/** Budget 1: scrolling the 1M-event list keeps frame time p95 < 20 ms. */
export async function runUiScroll(log: Log): Promise<UiRow[]> {
  requireBuilt();
  const dir = uiDir('scroll');
  const store = caughtUpDemoStore(join(dir, 'store'), log);
  const served = await serve(store);
  try {
    return await withBrowser(async (browser) => {
      const context = await newConsoleContext(browser);
      const page = await openSignedIn(context, served, '#/streams');
      await page.getByTestId('event-list').locator('[data-position]').first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1000);
      const loadBefore = load();
      const idle = frameStats(await idleFrames(page, 2000));
      log(`idle page: ${describeFrames(idle)}`);
      // The renderer's main-thread time over the scroll (CDP): the work per frame, which the machine's load
      // does not change the way it changes frame times.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const before = await mainThreadTimes(cdp);
      const results = await page.evaluate(scrollInPage, PHASES);
      const after = await mainThreadTimes(cdp);
      const all = frameStats(results.flatMap((r) => r.deltas));
      const perFrame = (key: keyof MainThreadTimes) => (after[key] - before[key]) / all.frames;
      const work = `renderer main thread busy ${fmt(perFrame('task'), 1)} ms per frame (script ${fmt(perFrame('script'), 1)}, style and layout ${fmt(perFrame('layout'), 1)})`;
      log(work);
      for (const r of results) log(`${r.name}: ${describeFrames(frameStats(r.deltas))}${r.filledAfterMs === null ? (r.name.startsWith('jump') ? ', rows not filled within the phase' : '') : `, rows filled after ${fmt(r.filledAfterMs)} ms`}`);
      log(`all: ${describeFrames(all)}; load ${loadBefore} → ${load()}`);
      const slow = served.stderr().split('\n').filter((l) => l.startsWith('slow call'));
      const slowCalls = slow.length;
      if (slowCalls > 0) log(`the server logged ${slowCalls} slow calls, e.g. ${slow.slice(0, 3).join('; ')}`);
      const jumps = results.filter((r) => r.filledAfterMs !== null).map((r) => `${fmt(r.filledAfterMs!)} ms`);
      await context.close();
      return [
        {
          name: `scrolling the ${fmt(EVENTS)}-event list, frame time p95`,
          value: all.p95,
          unit: 'ms',
          baseline: idle.p95,
          baselineLabel: 'the same page not scrolling',
          target: '< 20 ms',
          met: all.p95 < 20,
          note: `${describeFrames(all)}; ${work}; per phase p95 ${results.map((r) => `${r.name} ${fmt(frameStats(r.deltas).p95, 1)}`).join(', ')}; rows filled after jumps in ${jumps.join(', ') || '—'}; ${slowCalls} slow calls logged by the server; load ${loadBefore}`,
        },
      ];
    });
  } finally {
    await served.stop();
  }
}

export const uiScroll = uiBenchmark('ui-scroll', `scroll the ${fmt(EVENTS)}-event list in Chromium (1280×800, serve mode): rAF frame times`, runUiScroll);
