import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiTransport } from '../../shared/api/client.js';
import type { HeadNotice, LiveBatch } from '../../shared/api/types.js';
import type { Result } from '../../shared/api/wire.js';
import type { ErrorInfo } from '../../shared/errors.js';
import type { JobInfo } from '../../shared/jobs.js';
import { registerIpcTransport } from '../../main/electron/ipcTransport.js';
import { APP_ORIGIN, isTrustedFrame } from '../../main/electron/security.js';
import { createBridge } from '../../preload/bridge.js';
import { FakeIpcMain, FakeWebContents } from '../helpers/fakeElectronIpc.js';
import { APP_PAGE_URL, ipcTransportUnderTest, websocketTransportUnderTest, type TransportUnderTest } from '../helpers/transportHarness.js';
import { eventually, sleep, within } from '../helpers/waiting.js';

/**
 * One suite, both transports (DESIGN §3, issue 8): the renderer's own client on each (the preload's
 * bridge over Electron IPC, the WebSocketTransport against a real serve-mode server), the real pipeline
 * and handlers behind both. Same answers, same errors, same pushes: every answer is also compared with
 * what the pipeline itself gives, so neither transport adds, drops or reshapes anything.
 */

interface Collected<T> {
  readonly pushes: T[];
  readonly ended: Promise<ErrorInfo | null>;
  ends(): number;
  /** The first push (already received or still to come) that satisfies `test`. */
  until(what: string, test: (value: T) => boolean): Promise<T>;
  stop(): void;
}

function collect<T>(transport: ApiTransport, method: string, input: unknown): Collected<T> {
  const pushes: T[] = [];
  const waiters: Array<{ readonly test: (value: T) => boolean; readonly resolve: (value: T) => void }> = [];
  let ends = 0;
  let resolveEnded: (error: ErrorInfo | null) => void = () => undefined;
  const ended = new Promise<ErrorInfo | null>((resolve) => (resolveEnded = resolve));
  const stop = transport.subscribe(
    method,
    input,
    (value) => {
      pushes.push(value as T);
      for (const w of [...waiters]) {
        if (!w.test(value as T)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(value as T);
      }
    },
    (error) => {
      ends++;
      resolveEnded(error);
    },
  );
  return {
    pushes,
    ended,
    ends: () => ends,
    until: (what, test) => {
      const seen = pushes.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return within(10_000, what, new Promise<T>((resolve) => waiters.push({ test, resolve })));
    },
    stop,
  };
}

function valueOf<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected an answer, got ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const appendInput = (streamId: string, n = 1) => ({ streamId, events: Array.from({ length: n }, (_, i) => ({ type: 'OrderPlaced', data: { n: i } })) });

const TRANSPORTS: ReadonlyArray<readonly [string, () => Promise<TransportUnderTest>]> = [
  ['Electron IPC', ipcTransportUnderTest],
  ['serve-mode WebSocket', websocketTransportUnderTest],
];

describe.each(TRANSPORTS)('the API over %s', (_name, make) => {
  let t: TransportUnderTest;
  let admin: ApiTransport;
  let viewer: ApiTransport;
  /** What the pipeline answers itself, for the principal this transport establishes. */
  const direct = (role: 'admin' | 'viewer', method: string, input: unknown) => t.pipeline.call(t.principal(role), method, input);
  const append = async (streamId: string, n = 1) => valueOf<{ globalPosition: number }>(await admin.call('events.append', appendInput(streamId, n))).globalPosition;

  beforeAll(async () => {
    t = await make();
    admin = await t.client('admin');
    viewer = await t.client('viewer');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('is open, and answers a query exactly as the pipeline does', async () => {
    expect(admin.connectionState()).toBe('open');
    const answer = await admin.call('session.info', {});
    expect(answer).toMatchObject({ ok: true, value: { principal: t.principal('admin') } });
    expect(answer).toEqual(await direct('admin', 'session.info', {}));
  });

  it('appends and reads back the same event', async () => {
    const appended = valueOf<{ globalPosition: number; streamVersion: number; eventId: string }>(
      await admin.call('events.append', { streamId: 'order-1', events: [{ type: 'OrderPlaced', data: { total: 12, note: 'é ✓' } }] }),
    );
    expect(appended).toMatchObject({ globalPosition: t.host.store.head().position, streamVersion: 0 });
    const read = await admin.call('events.get', { position: appended.globalPosition });
    expect(read).toMatchObject({ ok: true, value: { event: { eventId: appended.eventId, streamId: 'order-1', type: 'OrderPlaced', data: { total: 12, note: 'é ✓' } } } });
    expect(read).toEqual(await direct('admin', 'events.get', { position: appended.globalPosition }));
  });

  it('answers many calls in flight each with its own answer', async () => {
    const inputs = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? { position: 1 } : i % 3 === 1 ? { position: 10_000 + i } : { position: -i }));
    const answers = await Promise.all(inputs.map((input) => admin.call('events.get', input)));
    const expected = await Promise.all(inputs.map((input) => direct('admin', 'events.get', input)));
    expect(answers).toEqual(expected);
    expect(answers.map((a) => (a.ok ? 'ok' : a.error.code))).toEqual(inputs.map((_, i) => ['ok', 'NOT_FOUND', 'INVALID_INPUT'][i % 3]));
  });

  it('refuses invalid input with INVALID_INPUT and details.issues naming each field', async () => {
    const badRange = await admin.call('store.eventRate', { range: '2y' });
    expect(badRange).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { issues: [{ path: ['range'] }] } } });
    expect(badRange).toEqual(await direct('admin', 'store.eventRate', { range: '2y' }));
    const head = t.host.store.head().position;
    const badEvent = await admin.call('events.append', { streamId: 'order-1', events: [{ data: {} }] });
    expect(badEvent).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { issues: [{ path: ['events', 0, 'type'] }] } } });
    expect(badEvent).toEqual(await direct('admin', 'events.append', { streamId: 'order-1', events: [{ data: {} }] }));
    expect(t.host.store.head().position, 'nothing was appended').toBe(head);
  });

  it('answers FORBIDDEN to a role below the entry’s, and changes nothing', async () => {
    const head = t.host.store.head().position;
    const refused = await viewer.call('events.append', appendInput('order-2'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { required: 'operator', role: 'viewer' } } });
    expect(refused).toEqual(await direct('viewer', 'events.append', appendInput('order-2')));
    expect(t.host.store.head().position).toBe(head);
    // The viewer still reads.
    expect(await viewer.call('store.overview', {})).toMatchObject({ ok: true });
  });

  it('answers NOT_FOUND for what is not there', async () => {
    const missing = await admin.call('events.get', { position: 999_999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'no event at position 999999' } });
    expect(missing).toEqual(await direct('admin', 'events.get', { position: 999_999 }));
    const noStream = await admin.call('events.page', { streamId: 'no-such-stream', from: 0, limit: 10 });
    expect(noStream).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses an unknown method, and a call of a subscription, with INVALID_INPUT', async () => {
    const unknown = await admin.call('events.drop', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'unknown method "events.drop"' } });
    expect(unknown).toEqual(await direct('admin', 'events.drop', {}));
    const notACall = await admin.call('live.head', {});
    expect(notACall).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'live.head is a subscription: subscribe to it' } });
    expect(notACall).toEqual(await direct('admin', 'live.head', {}));
  });

  it('pushes live.head and live.events after an append', async () => {
    const before = t.host.store.head().position;
    const head = collect<HeadNotice>(admin, 'live.head', {});
    await head.until('the first head notice', (h) => h.headPosition === before);
    const events = collect<LiveBatch>(viewer, 'live.events', { fromPosition: before });
    const position = await append('order-3', 2);
    await head.until('the head notice of the append', (h) => h.headPosition === position);
    await events.until('the batch with both events', (b) => b.headPosition === position && b.events.length > 0);
    const pushed = events.pushes.flatMap((b) => b.events);
    expect(pushed.map((e) => e.globalPosition)).toEqual([position - 1, position]);
    // The same record as a read gives, on both paths.
    const read = valueOf<{ event: unknown }>(await admin.call('events.get', { position }));
    expect(pushed[1]).toEqual(read.event);
    expect(head.ends() + events.ends()).toBe(0);
    head.stop();
    events.stop();
  });

  it('pushes jobs.updates of a job until it ends', async () => {
    const updates = collect<JobInfo>(admin, 'jobs.updates', {});
    const { jobId } = valueOf<{ jobId: string }>(await admin.call('store.verify', {}));
    const done = await updates.until('the end of the verify job', (j) => j.id === jobId && j.state !== 'running');
    expect(done).toMatchObject({ id: jobId, kind: 'store.verify', state: 'succeeded', error: null, startedBy: t.principal('admin').name });
    expect(done.result).toMatchObject({ ok: true });
    expect(await admin.call('jobs.list', {})).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ id: jobId, state: 'succeeded' })]) });
    updates.stop();
  });

  it('stops pushing once unsubscribed, and ends the subscription in main', async () => {
    // The earlier tests' unsubscribes cross the transport too: count from when they have arrived.
    await eventually('the earlier subscriptions’ ends', () => t.pipeline.active === 0);
    const held = 0;
    const stopped = collect<HeadNotice>(admin, 'live.head', {});
    await stopped.until('the first head notice', () => true);
    expect(t.pipeline.active).toBe(held + 1);
    stopped.stop();
    await eventually('the subscription’s end in main', () => t.pipeline.active === held);
    const seen = stopped.pushes.length;
    // A second subscription witnesses that the append's notice went out.
    const witness = collect<HeadNotice>(admin, 'live.head', {});
    await witness.until('the witness’s first notice', () => true);
    const position = await append('order-4');
    await witness.until('the witness’s notice of the append', (h) => h.headPosition === position);
    await sleep(250);
    expect(stopped.pushes.length).toBe(seen);
    expect(stopped.ends(), 'an unsubscribe is not an end from the far side').toBe(0);
    witness.stop();
    stopped.stop();
  });

  it.each([
    ['invalid input', 'live.events', { fromPosition: -1 }, /fromPosition/],
    ['a call that is not a subscription', 'events.append', appendInput('order-5'), /events\.append is a command: call it/],
    ['an unknown method', 'live.nothing', {}, /unknown method "live\.nothing"/],
  ])('ends a subscription refused at its start with its error: %s', async (_label, method, input, message) => {
    await eventually('the earlier subscriptions’ ends', () => t.pipeline.active === 0);
    const held = 0;
    const head = t.host.store.head().position;
    const refused = collect<unknown>(admin, method, input);
    const error = await within(10_000, 'the refusal', refused.ended);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
    const expected = t.pipeline.subscribe(t.principal('admin'), method, input, () => undefined, () => undefined);
    expect(expected.ok).toBe(false);
    if (!expected.ok) expect(error).toEqual(expected.error);
    await sleep(50);
    expect(refused.ends()).toBe(1);
    expect(refused.pushes).toEqual([]);
    expect(t.pipeline.active).toBe(held);
    expect(t.host.store.head().position).toBe(head);
    refused.stop();
    // The client carries on.
    expect(await admin.call('session.info', {})).toMatchObject({ ok: true });
  });
});

describe('Electron IPC only', () => {
  let t: Awaited<ReturnType<typeof ipcTransportUnderTest>>;
  const append = async (window: FakeWebContents) =>
    valueOf<{ globalPosition: number }>(await createBridge(window.page.ipcRenderer).call('events.append', appendInput('ipc-only'))).globalPosition;

  beforeAll(async () => {
    t = await ipcTransportUnderTest();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('trusts only the console’s own top frame', () => {
    expect(isTrustedFrame({ url: APP_PAGE_URL, parent: null })).toBe(true);
    expect(isTrustedFrame({ url: `${APP_ORIGIN}/index.html`, parent: { url: APP_PAGE_URL, parent: null } })).toBe(false);
    for (const url of ['https://evil.example/', 'file:///work/main/dist/renderer/index.html', 'app://console.evil/index.html', 'app://evil@console/index.html', 'app://console:8080/', 'not a url'])
      expect(isTrustedFrame({ url, parent: null }), url).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
  });

  it('refuses an iframe with UNAUTHENTICATED, on calls and subscriptions, without touching the page’s own', async () => {
    const window = new FakeWebContents(t.ipcMain('admin'), APP_PAGE_URL);
    const page = createBridge(window.page.ipcRenderer);
    const own = collect<HeadNotice>(page, 'live.head', {});
    await own.until('the page’s first notice', () => true);
    const held = t.pipeline.active;
    const head = t.host.store.head().position;

    const iframe = createBridge(window.addIframe(`${APP_ORIGIN}/index.html`).ipcRenderer);
    expect(await iframe.call('session.info', {})).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'IPC is accepted only from the console window' } });
    expect(await iframe.call('events.append', appendInput('from-iframe'))).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // Its first subscription has the same id (1) as the page's: the refusal must reach the iframe only.
    const refused = collect<unknown>(iframe, 'live.head', {});
    expect(await within(10_000, 'the refusal', refused.ended)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(t.pipeline.active).toBe(held);
    expect(t.host.store.head().position).toBe(head);

    const position = await append(window);
    await own.until('the page’s notice of the append', (h) => h.headPosition === position);
    expect(own.ends()).toBe(0);
    window.destroy();
  });

  it.each(['https://evil.example/', 'file:///work/main/dist/renderer/index.html', 'app://console.evil/index.html'])(
    'refuses a main frame of another origin (%s) with UNAUTHENTICATED',
    async (url) => {
      const window = new FakeWebContents(t.ipcMain('admin'), APP_PAGE_URL);
      const foreign = createBridge(window.navigate(url).ipcRenderer);
      expect(await foreign.call('session.info', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      const refused = collect<unknown>(foreign, 'live.head', {});
      expect(await within(10_000, 'the refusal', refused.ended)).toMatchObject({ code: 'UNAUTHENTICATED' });
      window.destroy();
    },
  );

  it('ends a page’s subscriptions when it reloads, keeps them across in-page navigation, and ends them when the window goes', async () => {
    const held = t.pipeline.active;
    const window = new FakeWebContents(t.ipcMain('admin'), APP_PAGE_URL);
    const before = createBridge(window.page.ipcRenderer);
    const oldHead = collect<HeadNotice>(before, 'live.head', {});
    const oldEvents = collect<LiveBatch>(before, 'live.events', { fromPosition: t.host.store.head().position });
    await oldHead.until('the old page’s first notice', () => true);
    await eventually('both subscriptions in main', () => t.pipeline.active === held + 2);

    // A hash route change is a navigation inside the document: nothing ends.
    window.navigateInPage(`${APP_ORIGIN}/index.html#/streams`);
    await sleep(20);
    expect(t.pipeline.active).toBe(held + 2);

    const reloaded = window.reload();
    await eventually('the old page’s subscriptions ending', () => t.pipeline.active === held);
    const sentBefore = window.sent.length;
    // The new document's ids start again at 1, like the old one's.
    const after = createBridge(reloaded.ipcRenderer);
    const newHead = collect<HeadNotice>(after, 'live.head', {});
    await newHead.until('the new page’s first notice', () => true);
    expect(t.pipeline.active).toBe(held + 1);
    const position = await append(window);
    await newHead.until('the new page’s notice of the append', (h) => h.headPosition === position);
    await sleep(250);
    const pushedSince = window.sent.slice(sentBefore).map((m) => m[1] as { type: string; id: number });
    expect(pushedSince.filter((f) => f.type === 'push').every((f) => f.id === 1), 'nothing for the old page’s live.events (id 2)').toBe(true);
    expect(oldEvents.pushes.flatMap((b) => b.events)).toEqual([]);

    window.destroy();
    await eventually('the window’s subscriptions ending', () => t.pipeline.active === held);
    // Nothing is sent to a destroyed window (Electron throws on that): an append after it is quiet.
    await createBridge(new FakeWebContents(t.ipcMain('admin'), APP_PAGE_URL).page.ipcRenderer).call('events.append', appendInput('after-destroy'));
    await sleep(250);
  });

  it('unregisters everything it registered, ending what it still holds', async () => {
    const ipcMain = new FakeIpcMain();
    const held = t.pipeline.active;
    const unregister = registerIpcTransport(ipcMain, t.pipeline, t.principal('admin'));
    const window = new FakeWebContents(ipcMain, APP_PAGE_URL);
    const bridge = createBridge(window.page.ipcRenderer);
    const live = collect<HeadNotice>(bridge, 'live.head', {});
    await live.until('the first notice', () => true);
    expect(t.pipeline.active).toBe(held + 1);
    unregister();
    expect(t.pipeline.active).toBe(held);
    expect(['pconsole:call', 'pconsole:subscribe', 'pconsole:unsubscribe'].map((c) => ipcMain.listenerCount(c))).toEqual([0, 0, 0]);
    // Electron's invoke rejects without a handler; the bridge answers it as an error, never a throw.
    expect(await bridge.call('session.info', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/No handler registered/) } });
    window.destroy();
  });
});
