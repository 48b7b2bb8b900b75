import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, type MethodName } from '../../shared/api/contract.js';
import type { ClientFrame } from '../../shared/api/wire.js';
import type { JobInfo } from '../../shared/jobs.js';
import { commands } from '../../main/cli/commands/index.js';
import { argvFor, type SandboxFiles } from '../helpers/badInput-argv.js';
import { brief, memoryOf, ProbeSocket, rawHttp } from '../helpers/badInput-probes.js';
import { hostileJson, hostileString, inputsFromSchema, nestedJsonText } from '../helpers/badInput-values.js';
import { runCli, runCliJson } from '../helpers/cli.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { announcedFrameHeader, clientFrame, openRawWebSocket } from '../helpers/rawWebSocket.js';
import { signIn, startServe, type ServeProcess } from '../helpers/serve.js';

/**
 * Issue 9, bad input everywhere: a corpus generated with fast-check (fixed seed) for every contract entry
 * over serve mode's WebSocket (hostile JSON values, and inputs generated from each entry's own schema so the
 * handlers are reached), malformed frames, raw HTTP requests, and every CLI command and flag. Never INTERNAL,
 * never a crash (another client is still answered), never a hang (a bound on every call, job and command),
 * bounded memory (the serve process's peak RSS). Every defect is collected with its input and output and the
 * test fails listing them all. Runs on dist/ (`npm run build:main` first).
 */

const SEED = 20_261_204;
/** Inputs per contract entry: hostile JSON values, and values generated from its schema. */
const HOSTILE_RUNS = 40;
const SCHEMA_RUNS = 80;
const FRAME_RUNS = 150;
const HTTP_RUNS = 250;
const CLI_RUNS_PER_COMMAND = 12;
const CALL_TIMEOUT_MS = 10_000;
const JOB_TIMEOUT_MS = 60_000;
const CLI_TIMEOUT_MS = 30_000;
/**
 * The serve process's peak resident memory over the whole file (VmHWM). Measured on this machine (Node 20,
 * 2 cores): ~90 MiB after start; a peak of ~490 MiB, set by up to 8 jobs' worker threads at once (verify, demo
 * loads, backups) on the store the corpus grows; the HTTP, frame and CLI corpora add nothing measurable.
 * Before jobs were bounded, 65 `store.verify` calls alone took it to ~980 MiB, and more calls take it further.
 */
const MAX_PEAK_RSS = 768 * 1024 * 1024;

interface Finding {
  readonly where: string;
  readonly input: string;
  readonly output: string;
}

const findings: Finding[] = [];
const found = (where: string, input: unknown, output: unknown) => findings.push({ where, input: brief(input), output: brief(output, 600) });

let sandbox: string;
let store: string;
let files: string[];
let named: SandboxFiles;
let server: ServeProcess;
let cookie: string;
let bystander: ProbeSocket;
let nextId = 1;

const headers = () => ({ Cookie: cookie, Origin: server.origin });

/** Where the serve process's peak RSS grew (printed: what the bound was measured on). */
let lastPeak = 0;
function notePeak(after: string): void {
  const { rss, peak } = memoryOf(server.child.pid!);
  if (peak - lastPeak > 16 * 1024 * 1024) process.stdout.write(`serve peak RSS ${(peak / 1048576).toFixed(0)} MiB after ${after} (now ${(rss / 1048576).toFixed(0)} MiB)\n`);
  lastPeak = Math.max(lastPeak, peak);
}

/** Serve is still running and answers a valid call from a client that sent nothing bad. */
async function expectServing(after: string): Promise<void> {
  expect(server.child.exitCode, `serve exited after ${after}; stderr:\n${server.stderr().slice(-3000)}`).toBeNull();
  if (!bystander.open) bystander = await ProbeSocket.open(server.port, headers());
  const id = nextId++;
  bystander.socket.send(JSON.stringify({ type: 'call', id, method: 'session.info', input: {} } satisfies ClientFrame));
  await bystander.until(() => bystander.result(id) !== undefined, CALL_TIMEOUT_MS);
  expect(bystander.result(id)?.result, `the bystander's call after ${after}`).toMatchObject({ ok: true });
}

/** Files of the sandbox that inputs may name (a store, archives, an NDJSON file, keys, a folder, one missing). */
function sandboxPaths(): fc.Arbitrary<string> {
  const safe = hostileString.map((s) => s.replace(/\0/g, '').replace(/\.\./g, '__').replace(/\//g, '_').slice(0, 200));
  return fc.oneof(
    { arbitrary: fc.constantFrom(...files, '/dev/zero', '/dev/null', '/proc/self/status'), weight: 4 },
    { arbitrary: safe.map((s) => join(sandbox, 'generated', s || 'empty')), weight: 2 },
    // Relative: refused as not absolute.
    { arbitrary: safe, weight: 1 },
  );
}

beforeAll(async () => {
  sandbox = mkdtempSync(join(tmpdir(), 'pconsole-badinput-'));
  store = join(sandbox, 'store');
  createFilledStore(store, 300, { streams: 5, perAppend: 10 });
  const backups = join(sandbox, 'backups');
  const full = await runCliJson<{ archive: string; sidecar: string }>(['backup', 'create', store, '--out', backups]);
  const keys = await runCliJson<{ privateKeyFile: string; publicKeyFile: string }>(['backup', 'keygen', '--out', join(sandbox, 'keys')]);
  const ndjson = join(sandbox, 'events.ndjson');
  const exported = await runCli(['export', store, '--from', '1', '--to', '20']);
  writeFileSync(ndjson, exported.stdout);
  writeFileSync(join(sandbox, 'text.txt'), 'not json\n\xff\xfe\n');
  mkdirSync(join(sandbox, 'empty'));
  mkdirSync(join(sandbox, 'generated'));
  files = [store, backups, full.archive, full.sidecar, keys.privateKeyFile, keys.publicKeyFile, ndjson, join(sandbox, 'text.txt'), join(sandbox, 'empty'), join(sandbox, 'missing'), sandbox];
  const fresh = Array.from({ length: 5 }, (_, i) => join(sandbox, 'generated', `new-${i}`));
  named = {
    all: files,
    byName: {
      store: [store],
      archive: [full.archive, full.sidecar, backups],
      dir: [backups, ...fresh],
      'file': [ndjson, '-'],
      'filendjson|-': [ndjson, '-'],
      'new-store': fresh,
      out: [backups, ...fresh],
      to: fresh,
      backups: [backups],
      current: [store],
      scratch: fresh,
      'sign-key': [keys.privateKeyFile],
      'trust-key': [keys.publicKeyFile],
      'data-file': [ndjson],
      confirm: ['store'],
    },
  };
  server = await startServe([store]);
  cookie = await signIn(server.url);
  bystander = await ProbeSocket.open(server.port, headers());
  notePeak('start');
}, 120_000);

afterAll(async () => {
  bystander?.close();
  await server?.stop();
  if (sandbox !== undefined) rmSync(sandbox, { recursive: true, force: true });
});

describe('bad input everywhere', () => {
  // Defects the corpus found, pinned with the input it found them with (they fail without their fixes).
  it('found by the corpus: a prune of a folder that is missing or a file is NOT_FOUND / INVALID_INPUT, not INTERNAL (ENOENT on its lock)', async () => {
    const socket = await ProbeSocket.open(server.port, headers());
    const prune = async (dir: string) => {
      const id = nextId++;
      socket.socket.send(JSON.stringify({ type: 'call', id, method: 'backup.prune', input: { dir, policy: { keepLast: 6 }, dryRun: false } } satisfies ClientFrame));
      await socket.until(() => socket.result(id) !== undefined, CALL_TIMEOUT_MS);
      return socket.result(id)?.result;
    };
    expect(await prune(join(sandbox, 'generated', 'no-such-folder'))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('nothing was pruned') as unknown } });
    expect(await prune(join(sandbox, 'text.txt'))).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    socket.close();
  });

  it('found by the corpus: jobs started in a loop are bounded (BUSY past 8 running), not a worker thread each (65 store.verify calls took serve to ~1 GiB)', async () => {
    findings.length = 0;
    const socket = await ProbeSocket.open(server.port, headers());
    const ids = Array.from({ length: 20 }, () => nextId++);
    for (const id of ids) socket.socket.send(JSON.stringify({ type: 'call', id, method: 'store.verify', input: {} } satisfies ClientFrame));
    await socket.until(() => ids.every((id) => socket.result(id) !== undefined), CALL_TIMEOUT_MS);
    const results = ids.map((id) => socket.result(id)?.result);
    const busy = results.filter((r) => r?.ok === false && r.error.code === 'BUSY');
    expect(results.filter((r) => r?.ok === true).length).toBeGreaterThan(0);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]).toMatchObject({ error: { message: expect.stringContaining('at most 8 at once') as unknown } });
    await awaitJobs('store.verify', results.flatMap((r) => (r?.ok === true ? [(r.value as { jobId: string }).jobId] : [])), []);
    socket.close();
    expect(findings).toEqual([]);
  });

  it('every contract entry over the WebSocket: hostile JSON and schema-generated inputs are answered, never INTERNAL, within the bound; every job ends', async () => {
    let socket = await ProbeSocket.open(server.port, headers());
    const answers = new Map<string, number>();
    const options = { paths: sandboxPaths(), caps: { events: 200, streams: 20, batchSize: 1000, limit: 1000 } };
    for (const [index, method] of METHOD_NAMES.entries()) {
      const entry = contract[method];
      const inputs = [
        ...fc.sample(hostileJson, { seed: SEED + index, numRuns: HOSTILE_RUNS }),
        ...fc.sample(inputsFromSchema(entry.input, options), { seed: SEED + index, numRuns: SCHEMA_RUNS }),
      ];
      const jobs: string[] = [];
      for (const input of inputs) {
        if (!socket.open) socket = await ProbeSocket.open(server.port, headers());
        const id = nextId++;
        const frame: ClientFrame = { type: entry.kind === 'subscription' ? 'subscribe' : 'call', id, method, input };
        socket.socket.send(JSON.stringify(frame));
        await socket.until(() => socket.result(id) !== undefined, CALL_TIMEOUT_MS);
        const answer = socket.result(id);
        if (answer === undefined) {
          // A message past the 32 MiB limit closes its socket with 1009: that is an answer, not a hang.
          if (socket.closeCode !== 1009) found(`${method}: no answer within ${CALL_TIMEOUT_MS} ms (socket close ${socket.closeCode ?? 'none'})`, input, null);
          continue;
        }
        const outcome = answer.result.ok ? 'ok' : answer.result.error.code;
        answers.set(outcome, (answers.get(outcome) ?? 0) + 1);
        if (!answer.result.ok && answer.result.error.code === 'INTERNAL') found(`${method} answered INTERNAL`, input, answer.result.error);
        if (answer.result.ok && entry.kind === 'subscription') socket.socket.send(JSON.stringify({ type: 'unsubscribe', id } satisfies ClientFrame));
        if (answer.result.ok && entry.kind === 'job') jobs.push((answer.result.value as { jobId: string }).jobId);
      }
      await awaitJobs(method, jobs, inputs);
      await expectServing(`the corpus of ${method}`);
      notePeak(method);
    }
    socket.close();
    process.stdout.write(`WebSocket corpus answers: ${[...answers].map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
    expect(findings, findings.map((f) => `${f.where}\n  input: ${f.input}\n  output: ${f.output}`).join('\n')).toEqual([]);
  }, 600_000);

  it('malformed frames (not JSON, binary, not UTF-8, too deep, oversize, unknown ids and methods, protocol faults) close at most their own socket', async () => {
    findings.length = 0;
    const frames: Array<{ label: string; bytes: Buffer | string; binary?: boolean }> = [
      { label: 'deep array', bytes: nestedJsonText(200_000, 'array') },
      { label: 'deep object', bytes: nestedJsonText(100_000, 'object') },
      { label: 'deep input', bytes: `{"type":"call","id":1,"method":"events.append","input":${nestedJsonText(50_000, 'array')}}` },
      { label: 'binary', bytes: Buffer.from('{"type":"call","id":1,"method":"session.info","input":{}}'), binary: true },
      { label: 'unsubscribe of an unknown id', bytes: '{"type":"unsubscribe","id":987654321}' },
      { label: 'unknown method', bytes: '{"type":"call","id":5,"method":"no.such.method","input":{}}' },
      { label: 'prototype method', bytes: '{"type":"call","id":6,"method":"__proto__","input":{}}' },
      { label: 'prototype method (subscribe)', bytes: '{"type":"subscribe","id":7,"method":"constructor","input":{}}' },
      { label: 'unsafe id', bytes: '{"type":"call","id":9007199254740993,"method":"session.info","input":{}}' },
      { label: 'a job as a subscription', bytes: '{"type":"subscribe","id":8,"method":"store.verify","input":{}}' },
      { label: 'a subscription as a call', bytes: '{"type":"call","id":9,"method":"live.head","input":{}}' },
      { label: '__proto__ frame', bytes: '{"__proto__":{"type":"call"},"id":1,"method":"session.info","input":{}}' },
    ];
    const frameArbitrary = fc.record({
      type: fc.oneof(fc.constantFrom('call', 'subscribe', 'unsubscribe'), hostileString),
      id: fc.oneof(fc.nat(), hostileJson),
      method: fc.oneof(fc.constantFrom(...METHOD_NAMES), hostileString),
      input: hostileJson,
    });
    for (const f of fc.sample(frameArbitrary, { seed: SEED, numRuns: FRAME_RUNS })) frames.push({ label: 'generated frame', bytes: JSON.stringify(f) });
    for (const text of fc.sample(fc.string({ unit: 'binary', maxLength: 200 }), { seed: SEED, numRuns: 50 })) frames.push({ label: 'text', bytes: text });
    for (const bytes of fc.sample(fc.uint8Array({ maxLength: 200 }), { seed: SEED, numRuns: 50 })) frames.push({ label: 'bytes as text (maybe not UTF-8)', bytes: Buffer.from(bytes) });

    for (const frame of frames) {
      const socket = await ProbeSocket.open(server.port, headers());
      socket.socket.send(frame.bytes, { binary: frame.binary === true });
      // A valid call after the bad frame on the same socket: its answer (or the socket's close) ends the probe.
      const id = 424_242;
      if (socket.open) socket.socket.send(JSON.stringify({ type: 'call', id, method: 'session.info', input: {} } satisfies ClientFrame));
      const ended = await socket.until(() => socket.result(id) !== undefined, CALL_TIMEOUT_MS);
      if (!ended) found(`frame (${frame.label}): neither answered nor closed within ${CALL_TIMEOUT_MS} ms`, frame.bytes.toString(), socket.frames);
      for (const f of socket.frames) if ((f.type === 'result' && !f.result.ok && f.result.error.code === 'INTERNAL') || (f.type === 'ended' && f.error?.code === 'INTERNAL')) found(`frame (${frame.label}) answered INTERNAL`, frame.bytes.toString(), f);
      if (socket.closeCode !== undefined && ![1002, 1007, 1009].includes(socket.closeCode)) found(`frame (${frame.label}) closed with ${socket.closeCode}`, frame.bytes.toString(), socket.frames);
      socket.close();
    }
    // A message announced past the 32 MiB limit is refused at its header, before a byte of it is buffered.
    const oversize = await openRawWebSocket(server.port, headers());
    oversize.write(announcedFrameHeader(64 * 1024 * 1024));
    const oversizeClose = await Promise.race([oversize.closed, new Promise<'none'>((resolve) => setTimeout(() => resolve('none'), CALL_TIMEOUT_MS))]);
    if (oversizeClose !== 1009) found('a 64 MiB message announced: not closed with 1009', 'announcedFrameHeader(64 MiB)', oversizeClose);
    oversize.destroy();
    // Protocol-level faults from a raw client: random first bytes (opcodes, RSV bits) and payloads.
    const raw = fc.sample(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 300 }), fc.boolean()), { seed: SEED, numRuns: 60 });
    for (const [first, payload, masked] of raw) {
      const socket = await openRawWebSocket(server.port, headers());
      socket.write(clientFrame(first, Buffer.from(payload), { masked }));
      await Promise.race([socket.closed, new Promise((resolve) => setTimeout(resolve, 300))]);
      socket.destroy();
    }
    await expectServing('the malformed frames');
    notePeak('the malformed frames');
    expect(findings, findings.map((f) => `${f.where}\n  input: ${f.input}\n  output: ${f.output}`).join('\n')).toEqual([]);
  }, 300_000);

  it('HTTP: random paths, methods, headers and huge headers are answered with a 4xx/2xx/3xx status, never a 5xx or a stack trace, and never hang', async () => {
    findings.length = 0;
    const host = `127.0.0.1:${server.port}`;
    const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,20}$/);
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 100 });
    const headerValue = fc.oneof(
      { arbitrary: printable, weight: 8 },
      { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 100 }).map((s) => s.replace(/[\r\n]/g, ' ')), weight: 1 },
      { arbitrary: fc.nat({ max: 200_000 }).map((n) => 'h'.repeat(n)), weight: 1 },
    );
    // Mostly well-formed requests with hostile parts, so most reach the server's own code (not only Node's parser).
    const request = fc.record({
      method: fc.oneof({ arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH'), weight: 4 }, { arbitrary: token, weight: 1 }),
      path: fc.oneof(
        fc.constantFrom('/', '/api', '/index.html', '/download/', '/download/x', '/?token=', '/?token=x&token=y', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/%00', '/assets/%ff', '/%', '*', '//', '/a?b#c'),
        fc.webPath({ size: 'medium' }),
        fc.webPath().map((p) => `/download${p}`),
        fc.string({ unit: 'binary', maxLength: 100 }).map((s) => '/' + encodeURIComponent(s)),
        fc.string({ unit: 'binary-ascii', maxLength: 50 }).map((s) => '/' + s.replace(/[\s]/g, '')),
        fc.nat({ max: 100_000 }).map((n) => '/' + 'p'.repeat(n)),
      ),
      version: fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0'),
      withHost: fc.constantFrom('right', 'right', 'right', 'wrong', 'none'),
      withCookie: fc.constantFrom(true, true, true, false),
      extra: fc.array(fc.tuple(token, headerValue), { maxLength: 3 }),
      many: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 0, 2000),
    });
    const statuses = new Map<string, number>();
    for (const r of fc.sample(request, { seed: SEED, numRuns: HTTP_RUNS })) {
      const lines = [`${r.method} ${r.path} ${r.version}`];
      if (r.withHost === 'right') lines.push(`Host: ${host}`);
      if (r.withHost === 'wrong') lines.push('Host: example.com');
      if (r.withCookie) lines.push(`Cookie: ${cookie}`);
      for (const [name, value] of r.extra) lines.push(`${name}: ${value}`);
      for (let i = 0; i < r.many; i++) lines.push(`X-Many-${i}: ${i}`);
      lines.push('Connection: close');
      const text = `${lines.join('\r\n')}\r\n\r\n`;
      const answer = await rawHttp(server.port, text, CALL_TIMEOUT_MS);
      statuses.set(String(answer.status ?? 'closed'), (statuses.get(String(answer.status ?? 'closed')) ?? 0) + 1);
      if (answer.hung) found('HTTP: no answer and no close', text, null);
      else if (answer.status !== null && answer.status >= 500 && answer.status !== 505) found(`HTTP answered ${answer.status}`, text, answer.text);
      if (/\n\s+at .*:\d+:\d+/.test(answer.text) || /INTERNAL/.test(answer.text)) found('HTTP answer holds a stack trace or INTERNAL', text, answer.text);
    }
    process.stdout.write(`HTTP corpus statuses: ${[...statuses].map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
    await expectServing('the HTTP corpus');
    notePeak('the HTTP corpus');
    expect(findings, findings.map((f) => `${f.where}\n  input: ${f.input}\n  output: ${f.output}`).join('\n')).toEqual([]);
  }, 300_000);

  it('every CLI command and flag with random argv: exit 0, 1 or 2 with the error format, never INTERNAL, never a signal, within the bound', async () => {
    findings.length = 0;
    const cwd = join(sandbox, 'generated');
    exits.clear();
    for (const [index, command] of commands.entries()) {
      const argvs = fc.sample(argvFor(command, named), { seed: SEED + index, numRuns: CLI_RUNS_PER_COMMAND });
      for (let i = 0; i < argvs.length; i += 2) {
        await Promise.all(argvs.slice(i, i + 2).map((argv) => probeCli(command.name, argv, cwd)));
      }
    }
    process.stdout.write(`CLI corpus exits: ${[...exits].map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
    await expectServing('the CLI corpus');
    notePeak('the CLI corpus');
    expect(findings, findings.map((f) => `${f.where}\n  input: ${f.input}\n  output: ${f.output}`).join('\n')).toEqual([]);
  }, 600_000);

  it(`the serve process's memory stayed bounded (peak RSS under ${MAX_PEAK_RSS / 1024 / 1024} MiB)`, () => {
    const memory = memoryOf(server.child.pid!);
    process.stdout.write(`serve RSS now ${(memory.rss / 1048576).toFixed(0)} MiB, peak ${(memory.peak / 1048576).toFixed(0)} MiB\n`);
    expect(memory.peak).toBeLessThan(MAX_PEAK_RSS);
  });
});

/** Waits for the jobs an entry's corpus started; a job that fails with INTERNAL or does not end is a finding. */
async function awaitJobs(method: MethodName, jobs: readonly string[], inputs: readonly unknown[]): Promise<void> {
  if (jobs.length === 0) return;
  const deadline = Date.now() + JOB_TIMEOUT_MS;
  for (;;) {
    const id = nextId++;
    bystander.socket.send(JSON.stringify({ type: 'call', id, method: 'jobs.list', input: {} } satisfies ClientFrame));
    await bystander.until(() => bystander.result(id) !== undefined, CALL_TIMEOUT_MS);
    const answer = bystander.result(id)?.result;
    const list = answer?.ok === true ? (answer.value as JobInfo[]) : [];
    const mine = list.filter((j) => jobs.includes(j.id));
    const running = mine.filter((j) => j.state === 'running');
    if (running.length === 0 || Date.now() > deadline) {
      for (const j of mine) if (j.error?.code === 'INTERNAL') found(`${method}: job ${j.label} failed with INTERNAL`, inputs, j.error);
      for (const j of running) {
        found(`${method}: job ${j.label} still running after ${JOB_TIMEOUT_MS} ms`, inputs, j.progress);
        bystander.socket.send(JSON.stringify({ type: 'call', id: nextId++, method: 'jobs.cancel', input: { jobId: j.id } } satisfies ClientFrame));
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const exits = new Map<string, number>();

/** One command line: its exit, its error format, and no INTERNAL anywhere in what it wrote. */
async function probeCli(name: string, argv: string[], cwd: string): Promise<void> {
  const started = Date.now();
  const result = await runCli(argv, { cwd, timeoutMs: CLI_TIMEOUT_MS });
  exits.set(String(result.code ?? result.signal), (exits.get(String(result.code ?? result.signal)) ?? 0) + 1);
  const output = { code: result.code, signal: result.signal, ms: Date.now() - started, stdout: result.stdout.slice(0, 300), stderr: result.stderr.slice(0, 600) };
  // serve with good arguments serves until it is stopped: killed at the bound after printing where, it started as asked.
  if (name === 'serve' && result.signal === 'SIGKILL' && /127\.0\.0\.1|localhost|"url"/.test(result.stdout)) return;
  if (result.signal !== null || result.code === null) return void found(`pconsole ${name}: ended by ${result.signal ?? 'nothing'} (bound ${CLI_TIMEOUT_MS} ms)`, argv, output);
  if (![0, 1, 2].includes(result.code)) return void found(`pconsole ${name}: exit ${result.code}`, argv, output);
  if (/INTERNAL/.test(result.stderr) || /"code":"INTERNAL"/.test(result.stdout)) return void found(`pconsole ${name}: INTERNAL`, argv, output);
  if (/\n\s+at .*:\d+:\d+/.test(result.stderr)) return void found(`pconsole ${name}: a stack trace`, argv, output);
  if (result.code === 0) return;
  const json = argv.includes('--json');
  const errorLine = result.stderr.trim().split('\n').find((l) => (json ? l.startsWith('{"error":') : l.startsWith('error ')));
  // A check that found a problem (verify, backup verify, drill) reports it on stdout with exit 1.
  const reportedOnStdout = result.code === 1 && result.stdout.trim() !== '' && (json ? /"ok":\s*false/.test(result.stdout) : /FAILED|problem/i.test(result.stdout));
  if (errorLine === undefined && !reportedOnStdout) found(`pconsole ${name}: exit ${result.code} without the error format`, argv, output);
}
