import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliJson } from '../helpers/cli.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { CLI_PATH, REPO_ROOT } from '../helpers/paths.js';
import { rawEvents } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

/**
 * Issue 9, class 9: a killed `import -` left its spool (as large as its input) in the store folder, and
 * kills left head-record temp files; nothing removed them. Now the next command that opens the store
 * removes what belongs to no live process, and leaves what a live one is still writing.
 */
const temp = useTempDirs();
const SPOOL = /^import-(\d+)-\d+\.ndjson\.tmp$/;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function exited(child: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.signalCode);
    child.once('exit', (_code, signal) => resolve(signal));
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const line = (i: number) => JSON.stringify({ streamId: 'slow', type: 'Imported', data: { i, pad: 'p'.repeat(200) } }) + '\n';

describe('leftovers of killed processes are removed at the next open', () => {
  it('a SIGKILLed import - leaves its spool; the next stats removes it and a dead pid’s head-record temp file, not a live process’s spool', async () => {
    const store = temp.path();
    createFilledStore(store, 3);
    const before = rawEvents(store);

    // `import -` fed slowly: it is still in its checking pass, spooling stdin, when it is killed.
    const importer = spawn(process.execPath, [CLI_PATH, 'import', store, '-'], { cwd: REPO_ROOT, stdio: ['pipe', 'ignore', 'ignore'] });
    children.push(importer);
    importer.stdin.on('error', () => undefined);
    let sent = 0;
    const feeder = setInterval(() => importer.stdin.write(line(sent++)), 20);
    try {
      const spool = await waitFor('the spool to hold some lines', () => {
        const name = readdirSync(store).find((n) => SPOOL.test(n));
        return name !== undefined && statSync(join(store, name)).size > 0 ? name : undefined;
      });
      expect(Number(SPOOL.exec(spool)![1])).toBe(importer.pid);
      importer.kill('SIGKILL');
      expect(await exited(importer)).toBe('SIGKILL');
    } finally {
      clearInterval(feeder);
    }
    const killedSpool = readdirSync(store).find((n) => SPOOL.test(n));
    expect(killedSpool, 'the kill leaves the spool behind').toBeDefined();

    // A head-record temp file of the same dead process, and a spool of a process that is alive.
    const deadHeadTemp = `head.json.${importer.pid}.0123abcd.tmp`;
    writeFileSync(join(store, deadHeadTemp), '{"partial":');
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(sleeper);
    const liveSpool = `import-${sleeper.pid}-1700000000000.ndjson.tmp`;
    const liveHeadTemp = `head.json.${sleeper.pid}.89abcdef.tmp`;
    writeFileSync(join(store, liveSpool), line(0));
    writeFileSync(join(store, liveHeadTemp), '{}');

    expect(await runCliJson(['stats', store])).toMatchObject({ events: 3 });
    const after = readdirSync(store);
    expect(after).not.toContain(killedSpool);
    expect(after).not.toContain(deadHeadTemp);
    expect(after).toContain(liveSpool);
    expect(after).toContain(liveHeadTemp);
    // The killed import had not begun writing: the log is as it was.
    expect(rawEvents(store)).toEqual(before);

    // Once its process is gone, the live one's files go too, at the next open.
    sleeper.kill('SIGKILL');
    await exited(sleeper);
    expect(await runCliJson(['stats', store])).toMatchObject({ events: 3 });
    expect(readdirSync(store).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('files that only look like leftovers are not touched (no pid in the name, or another pattern)', async () => {
    const store = temp.path();
    createFilledStore(store, 1);
    const keep = ['import-notes.ndjson.tmp', 'head.json.tmp', 'my.12.tmp', 'import-1-2.ndjson'];
    for (const name of keep) writeFileSync(join(store, name), 'x');
    expect(await runCliJson(['stats', store])).toMatchObject({ events: 1 });
    expect(readdirSync(store)).toEqual(expect.arrayContaining(keep));
  });
});
