import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServeApi } from './apiClient.js';
import { cli, requireBuild, serveStore, SESSION_COOKIE, tempStorePath, type ServedStore } from './serve.js';

export { expect };

const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** The demo dataset every read-only test browses: as the brief of the demo loader says, 100k events over 10k streams. */
export const DEMO = { events: 100_000, streams: 10_000 } as const;

interface WorkerFixtures {
  /** One store with the demo dataset loaded through the API (`store.loadDemo`), served for the whole run. */
  readonly demo: ServedStore;
}

interface TestFixtures {
  /** Signs the page in to a served store and opens the console at `hash`; waits for the shell. */
  readonly openConsole: (server: ServedStore, hash?: string) => Promise<Page>;
  /**
   * Starts another server for this test only (stopped after it): an empty store, or one with a role; or,
   * with `store`, a store already there (e.g. one an earlier server of this test served, stopped and
   * damaged: its folder lives until the end of the test, whichever server is stopped first).
   */
  readonly serveFresh: (options?: { readonly role?: string; readonly store?: string }) => Promise<ServedStore>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  demo: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires an object pattern for fixture dependencies
    async ({}, use) => {
      requireBuild();
      const { dir, store } = tempStorePath('demo-store');
      cli(['init', store, '--json']);
      const server = await serveStore(store, { removeDir: dir });
      const api = new ServeApi(server);
      try {
        await api.runJob('store.loadDemo', DEMO);
      } finally {
        api.close();
      }
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 180_000 },
  ],

  page: async ({ page }, use) => {
    // The console must run under serve mode's strict CSP without a single violation, and never throw.
    const problems: string[] = [];
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await use(page);
    expect(problems, 'CSP violations and uncaught errors in the page').toEqual([]);
  },

  openConsole: async ({ page, context }, use) => {
    await use(async (server, hash = '#/overview') => {
      await context.addCookies([{ name: SESSION_COOKIE, value: server.session, url: server.origin, httpOnly: true, sameSite: 'Strict' }]);
      await page.goto(`${server.origin}/${hash}`);
      await expect(page.getByTestId('status-bar')).toBeVisible();
      await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'open');
      return page;
    });
  },

  // eslint-disable-next-line no-empty-pattern -- Playwright requires an object pattern for fixture dependencies
  serveFresh: async ({}, use) => {
    const started: ServedStore[] = [];
    const dirs: string[] = [];
    await use(async (options = {}) => {
      let store = options.store;
      if (store === undefined) {
        const temp = tempStorePath('fresh-store');
        dirs.push(temp.dir);
        store = temp.store;
        cli(['init', store, '--json']);
      }
      const server = await serveStore(store, { role: options.role });
      started.push(server);
      return server;
    });
    for (const server of started) await server.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  },
});

/** Saves the 1280×800 screenshot of a page for the README (test/e2e/screenshots/<name>.png). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let charts and transitions settle; hide the text caret so screenshots are stable.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), caret: 'hide', animations: 'disabled' });
}

/** `pconsole stats --json` of a store, as the CLI reports it. */
export function storeStats(store: string): { events: number; streams: number; headPosition: number; headHash: string; durability: string } {
  return JSON.parse(cli(['stats', store, '--json'])) as { events: number; streams: number; headPosition: number; headHash: string; durability: string };
}

export const format = (n: number) => n.toLocaleString('en-US');
