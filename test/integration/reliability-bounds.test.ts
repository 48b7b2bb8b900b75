import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { parseNdjson, runCli, runCliError, runCliJson } from '../helpers/cli.js';
import { cliCommand, expectCliFailure, spawnCommand } from '../helpers/cliFailures.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { rawEvents } from '../helpers/rawDb.js';
import { openSocket, signIn, startServe, type ServeProcess } from '../helpers/serve.js';
import { useTempDirs } from '../helpers/tempDirs.js';
import { within } from '../helpers/waiting.js';

/**
 * Issue 9, classes 7 and 8: input is bounded while it is read (nesting, size) and must be UTF-8 as sent.
 * Deep JSON overflowed the stack, /dev/zero was read for gigabytes before a limit, a line of hundreds of
 * MB crashed Node, and bytes that are not UTF-8 became U+FFFD in data and stream ids, exit 0.
 */
const temp = useTempDirs();
const DEEP_LEVELS = 100_000;
/** Linux refuses a single argument longer than 128 KiB (MAX_ARG_STRLEN): as deep as --data can go. */
const DEEPEST_ARGUMENT_LEVELS = 60_000;

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const deepData = (levels: number) => `{"a":${nested(levels - 1)}}`;
const APPEND = (store: string) => ['append', store, '--stream', 's', '--type', 'T'];

/** A store with 3 events, and a check that nothing was written to it since (no event, no leftover file). */
function storeWithThreeEvents(): { store: string; expectUnchanged: () => void } {
  const store = temp.path();
  createFilledStore(store, 3);
  const before = rawEvents(store);
  const files = () => readdirSync(store).filter((f) => !f.startsWith('events.db-') && !f.startsWith('views.db-')).sort();
  const filesBefore = files();
  return {
    store,
    expectUnchanged: () => {
      expect(rawEvents(store)).toEqual(before);
      expect(files()).toEqual(filesBefore);
    },
  };
}

/** `/usr/bin/time -f` around the CLI where it exists, for the child's peak RSS; undefined elsewhere. */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const RSS_MARK = 'max-rss-kib=';

async function runMeasured(args: string[], stdin?: Readable): Promise<{ code: number | null; error: { code: string; message: string; details: Record<string, unknown> }; elapsedMs: number; maxRssMiB: number | undefined }> {
  const [node, cli] = cliCommand([...args, '--json']);
  const r = TIME === undefined ? await spawnCommand(node, cli, { stdin }) : await spawnCommand(TIME, ['-f', `${RSS_MARK}%M`, node, ...cli], { stdin });
  const lines = r.stderr.trim().split('\n');
  const rss = lines.find((l) => l.startsWith(RSS_MARK));
  const errorLines = lines.filter((l) => !l.startsWith(RSS_MARK) && !l.startsWith('Command exited with non-zero status'));
  expect(errorLines, r.stderr).toHaveLength(1);
  expect(r.stdout).toBe('');
  return {
    code: r.code,
    error: (JSON.parse(errorLines[0]!) as { error: { code: string; message: string; details: Record<string, unknown> } }).error,
    elapsedMs: r.elapsedMs,
    maxRssMiB: rss === undefined ? undefined : Number(rss.slice(RSS_MARK.length)) / 1024,
  };
}

describe('class 7: JSON nested 100,000 levels deep is INVALID_INPUT where it is read, never a stack overflow', () => {
  it('in --data (as deep as one argument can be) and --metadata', async () => {
    const { store, expectUnchanged } = storeWithThreeEvents();
    await expectCliFailure([...APPEND(store), '--data', deepData(DEEPEST_ARGUMENT_LEVELS)], 'INVALID_INPUT', /^--data is not valid JSON: JSON nested deeper than 108 levels/);
    await expectCliFailure([...APPEND(store), '--data', '{}', '--metadata', deepData(DEEPEST_ARGUMENT_LEVELS)], 'INVALID_INPUT', /^--metadata is not valid JSON: JSON nested deeper/);
    expectUnchanged();
  });

  it('in --data-file, 100,000 levels', async () => {
    const { store, expectUnchanged } = storeWithThreeEvents();
    const file = join(temp.dir(), 'deep.json');
    writeFileSync(file, deepData(DEEP_LEVELS));
    await expectCliFailure([...APPEND(store), '--data-file', file], 'INVALID_INPUT', /--data-file .*deep\.json is not valid JSON: JSON nested deeper than 108 levels/);
    expectUnchanged();
  });

  it('the bound is the documented one: data nested 100 levels is stored, 101 is refused by the schema', async () => {
    const { store } = storeWithThreeEvents();
    expect(await runCliJson([...APPEND(store), '--data', deepData(100)])).toMatchObject({ globalPosition: 4 });
    await expectCliFailure([...APPEND(store), '--data', deepData(101)], 'INVALID_INPUT', /nested deeper than 100 levels/);
    expect(rawEvents(store)).toHaveLength(4);
  });

  it('in an import line (line 3 of 5), from a file and from stdin: the line is named, nothing is imported', async () => {
    const { store, expectUnchanged } = storeWithThreeEvents();
    const good = (i: number) => JSON.stringify({ streamId: 'imp', type: 'T', data: { i } });
    const text = [good(1), good(2), `{"streamId":"imp","type":"T","data":${deepData(DEEP_LEVELS)}}`, good(4), good(5)].join('\n') + '\n';
    const file = join(temp.dir(), 'deep.ndjson');
    writeFileSync(file, text);
    const fromFile = await expectCliFailure(['import', store, file], 'INVALID_INPUT', /^line 3: JSON nested deeper than 108 levels/);
    expect(fromFile.details).toMatchObject({ line: 3 });
    const fromStdin = await runCliError(['import', store, '-'], 2, { input: text });
    expect(fromStdin).toMatchObject({ code: 'INVALID_INPUT', details: { line: 3 } });
    expectUnchanged();
  });

  describe('in a WebSocket call frame', () => {
    let root: string;
    let store: string;
    let server: ServeProcess;
    let socket: WebSocket;
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'pconsole-bounds-'));
      store = join(root, 'store');
      createFilledStore(store, 3);
      server = await startServe([store]);
      const cookie = await signIn(server.url);
      const opened = await openSocket(server.port, { Cookie: cookie, Origin: server.origin });
      if (!opened.opened) throw new Error(`the API socket was refused: ${opened.status}`);
      socket = opened.socket;
    });
    afterAll(async () => {
      socket?.close();
      await server?.stop();
      rmSync(root, { recursive: true, force: true });
    });

    /** Sends a frame as text and resolves with the next result frame (whatever its id). */
    const send = (text: string) =>
      within(
        20_000,
        'the server’s answer',
        new Promise<{ id: number; result: { ok: boolean; error?: { code: string; message: string } } }>((resolve) => {
          socket.once('message', (data) => resolve(JSON.parse((data as Buffer).toString('utf8')) as never));
          socket.send(text);
        }),
      );
    const appendFrame = (id: number, data: string) => `{"type":"call","id":${id},"method":"events.append","input":{"streamId":"ws","expectedVersion":"any","events":[{"type":"T","data":${data}}]}}`;

    it('100,000 levels: answered INVALID_INPUT, the socket and the server carry on, nothing is appended', async () => {
      const answer = await send(appendFrame(7, deepData(DEEP_LEVELS)));
      expect(answer.result.ok).toBe(false);
      expect(answer.result.error).toMatchObject({ code: 'INVALID_INPUT' });
      expect(answer.result.error!.message).toMatch(/nested deeper than 108 levels/);
      expect(server.child.exitCode, server.stderr()).toBeNull();
      // The same socket still works, and the log is as it was.
      const next = await send(appendFrame(8, '{"ok":true}'));
      expect(next).toMatchObject({ id: 8, result: { ok: true } });
      expect(rawEvents(store).map((e) => e.stream_id)).toEqual(['stream-0', 'stream-1', 'stream-2', 'ws']);
    });

    it('data of 101 levels inside a frame that is not too deep: refused by the schema, for that call only', async () => {
      const answer = await send(appendFrame(9, deepData(101)));
      expect(answer).toMatchObject({ id: 9, result: { ok: false, error: { code: 'INVALID_INPUT' } } });
      expect(answer.result.error!.message).toMatch(/nested deeper than 100 levels/);
    });
  });
});

describe('class 7: sizes are bounded while reading', () => {
  it('append --data-file /dev/zero fails fast with INVALID_INPUT and bounded memory', async () => {
    const { store, expectUnchanged } = storeWithThreeEvents();
    const r = await runMeasured([...APPEND(store), '--data-file', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.error.code).toBe('INVALID_INPUT');
    expect(r.error.message).toMatch(/^--data-file \/dev\/zero is larger than/);
    expect(r.elapsedMs).toBeLessThan(5_000);
    if (r.maxRssMiB !== undefined) expect(r.maxRssMiB).toBeLessThan(300);
    expectUnchanged();
  });

  it('backup create --passphrase-file /dev/zero likewise (it was read whole: 16 GB, then std::bad_alloc)', async () => {
    const { store, expectUnchanged } = storeWithThreeEvents();
    const out = temp.dir();
    const r = await runMeasured(['backup', 'create', store, '--out', out, '--passphrase-file', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/passphrase file \/dev\/zero is larger than 64\.0 KiB/) as unknown });
    expect(r.elapsedMs).toBeLessThan(5_000);
    if (r.maxRssMiB !== undefined) expect(r.maxRssMiB).toBeLessThan(300);
    expect(readdirSync(out)).toEqual([]);
    expectUnchanged();
  });

  it('an import line of 200 MB on stdin is INVALID_INPUT naming the line, within seconds and bounded memory; nothing imported, no spool left', async () => {
    const { store, expectUnchanged } = storeWithThreeEvents();
    const LINE_BYTES = 200 * 1024 * 1024;
    const CHUNK = 1024 * 1024;
    let sent = 0;
    // Generated as it is read: the test never holds the line either.
    function* lines(): Generator<Buffer> {
      yield Buffer.from('{"streamId":"big","type":"T","data":{"n":1}}\n{"streamId":"big","type":"T","data":{"x":"');
      const chunk = Buffer.alloc(CHUNK, 0x61);
      for (let n = 0; n < LINE_BYTES; n += CHUNK) {
        sent += CHUNK;
        yield chunk;
      }
      yield Buffer.from('"}}\n');
    }
    const r = await runMeasured(['import', store, '-'], Readable.from(lines(), { objectMode: false }));
    expect(r.code).toBe(2);
    expect(r.error).toMatchObject({ code: 'INVALID_INPUT', details: { line: 2 } });
    expect(r.error.message).toMatch(/^line 2 is longer than [\d,]+ bytes/);
    // Refused at the limit, not after reading the whole line.
    expect(sent).toBeLessThan(LINE_BYTES / 2);
    expect(r.elapsedMs).toBeLessThan(15_000);
    if (r.maxRssMiB !== undefined) expect(r.maxRssMiB).toBeLessThan(300);
    expectUnchanged();
  });
});

describe('class 8: bytes that are not UTF-8 are refused, never turned into U+FFFD', () => {
  /** An import file whose line 3 is `line3` (bytes), between good lines. */
  function importFile(line3: Buffer): string {
    const good = (i: number) => Buffer.from(JSON.stringify({ streamId: 'u', type: 'T', data: { i } }) + '\n');
    const file = join(temp.dir(), 'bytes.ndjson');
    writeFileSync(file, Buffer.concat([good(1), good(2), line3, Buffer.from('\n'), good(4)]));
    return file;
  }

  it.each([
    ['in the data', Buffer.concat([Buffer.from('{"streamId":"u","type":"T","data":{"name":"caf'), Buffer.from([0xe9]), Buffer.from('"}}')])],
    ['in the stream id', Buffer.concat([Buffer.from('{"streamId":"u'), Buffer.from([0xff, 0xfe]), Buffer.from('","type":"T","data":{}}')])],
    ['in the type (a truncated sequence)', Buffer.concat([Buffer.from('{"streamId":"u","type":"T'), Buffer.from([0xe2, 0x82]), Buffer.from('","data":{}}')])],
  ])('an import line with non-UTF-8 bytes %s: INVALID_INPUT naming line 3 and the byte, nothing imported', async (_where, line3) => {
    const { store, expectUnchanged } = storeWithThreeEvents();
    const file = importFile(line3);
    const error = await expectCliFailure(['import', store, file], 'INVALID_INPUT', /^line 3: not valid UTF-8 \(byte \d+ is 0x[0-9a-f]{2}\)/);
    expect(error.details).toMatchObject({ line: 3 });
    const fromStdin = await runCli(['import', store, '-', '--json'], { input: Buffer.concat([Buffer.from('{"streamId":"u","type":"T","data":{}}\n'), line3, Buffer.from('\n')]) });
    expect(fromStdin.code).toBe(2);
    expect(JSON.parse(fromStdin.stderr)).toMatchObject({ error: { code: 'INVALID_INPUT', details: { line: 2 } } });
    expectUnchanged();
  });

  /** The CLI through a shell, so that an argument can carry raw bytes (child_process passes strings as UTF-8). */
  const throughShell = (script: string) => spawnCommand('/bin/sh', ['-c', script]);

  it.each([
    ['--stream', `--stream "$(printf 'ab\\377')" --type T`],
    ['--type', `--stream s --type "$(printf '\\377')"`],
  ])('%s with the byte 0xff: exit 2 naming the flag, nothing appended', async (flag, flags) => {
    const { store, expectUnchanged } = storeWithThreeEvents();
    const args = `append '${store}' ${flags} --data '{}'`;
    const json = await throughShell(`"$NODE" "$CLI" ${args} --json`);
    expect(json.code, json.stderr).toBe(2);
    const error = (JSON.parse(json.stderr) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(new RegExp(`^the value of ${flag} is not valid UTF-8 \\(byte \\d is 0xff\\)`));
    const text = await throughShell(`"$NODE" "$CLI" ${args}`);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(new RegExp(`^error INVALID_INPUT: the value of ${flag} is not valid UTF-8`));
    expect(text.stderr.trim().split('\n')).toHaveLength(2);
    expectUnchanged();
  });

  it('a U+FFFD that was typed (valid UTF-8) is accepted in --stream, --type and data, and read back as sent', async () => {
    const { store } = storeWithThreeEvents();
    const replacement = '\uFFFD';
    const appended = await runCliJson(['append', store, '--stream', `s${replacement}`, '--type', `T${replacement}`, '--data', JSON.stringify({ v: replacement })]);
    expect(appended).toMatchObject({ globalPosition: 4 });
    const [event] = parseNdjson<{ streamId: string; type: string; data: unknown }>((await runCli(['read', store, '--stream', `s${replacement}`])).stdout);
    expect(event).toMatchObject({ streamId: `s${replacement}`, type: `T${replacement}`, data: { v: replacement } });
  });
});
