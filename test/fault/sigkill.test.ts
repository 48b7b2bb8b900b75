import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppendAck, AppendLoopConfig } from '../helpers/appendLoopProtocol.js';
import { expectAcknowledged, expectConsistentStore, expectWholeAppends } from '../helpers/checkStore.js';
import { startAppendLoop } from '../helpers/children.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/tempDirs.js';
import { EventStore } from '../../main/store/eventStore.js';
import { seededRandom } from '../../main/platform/seededRandom.js';

const temp = useTempDirs();

const ROUNDS = 24;


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SIGKILL while appending', () => {
  it(`loses no acknowledged append and keeps a valid store, ${ROUNDS} kills in a row`, async () => {
    const seed = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    const dir = join(temp.dir('pconsole-fault-'), 'store');
    EventStore.create(dir).close();
    const allAcks: AppendAck[] = [];
    const log: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const config: AppendLoopConfig = {
        store: dir,
        count: 0, // until killed
        mode: round % 2 === 0 ? 'queue' : 'now',
        workers: round % 2 === 0 ? 1 + Math.floor(random() * 8) : 1,
        streamPrefix: `round-${round}`,
        sharedStream: 'shared',
        maxBatch: 4,
        // kill -9 never loses an acknowledged commit in either mode (DESIGN §5).
        durability: round % 3 === 2 ? 'normal' : 'full',
      };
      const child = startAppendLoop(config);
      // Most rounds kill while appends are flowing; some kill at any moment, opening and recovery included.
      const early = round % 4 === 3;
      let delay: number;
      if (early) {
        delay = Math.floor(random() * 1500);
        await Promise.race([sleep(delay), child.exited]);
      } else {
        await Promise.race([child.firstAck, sleep(60_000)]);
        delay = Math.floor(random() * 400);
        await sleep(delay);
      }
      child.process.kill('SIGKILL');
      const exit = await child.exited;
      const what = `seed ${seed}, round ${round} (${config.mode}, ${config.workers} workers, ${config.durability}, ${early ? 'early ' : ''}kill after ${delay} ms, ${child.acks.length} acks)`;
      log.push(what);
      expect(exit.signal, `${what}: the child ended on its own: ${exit.stderr}`).toBe('SIGKILL');
      expect(child.tornLines, what).toEqual([]);
      if (!early) expect(child.acks.length, what).toBeGreaterThan(0);
      allAcks.push(...child.acks);

      const rows = expectConsistentStore(dir);
      expectAcknowledged(rows, allAcks);
      expectWholeAppends(rows);
    }

    if (process.env.FAULT_VERBOSE !== undefined) console.log(log.join('\n'));
    // Enough happened for the test to mean something, and the CLI agrees the store is intact.
    expect(allAcks.length, log.join('\n')).toBeGreaterThan(ROUNDS * 5);
    const verify = await runCli(['verify', dir, '--json']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, problems: [] });
  });
});
