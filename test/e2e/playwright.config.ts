import { defineConfig } from '@playwright/test';

/**
 * The console in headless Chromium against serve mode (`pconsole serve` as a child process on temporary
 * stores). Uses Debian's Chromium: Playwright's own browser download is not available here.
 */
export default defineConfig({
  testDir: '.',
  // *.e2e.ts: the console against serve mode; electron.spec.ts: the desktop window, skipped (with the reason) where Electron cannot run.
  testMatch: ['**/*.e2e.ts', '**/*.spec.ts'],
  outputDir: '../../test-results/e2e',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI === undefined ? [['list']] : [['list'], ['junit', { outputFile: '../../test-results/e2e/junit.xml' }]],
  use: {
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
