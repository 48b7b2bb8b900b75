import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HeadRecorder, readHeadRecord, writeHeadRecordSync } from '../../main/store/headRecord.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();
const hash = (c: string) => c.repeat(64);

describe('HeadRecorder.settled', () => {
  it('waits for a timed write still in flight, so the head written after it is the one that stays', async () => {
    const dir = temp.dir();
    const recorder = new HeadRecorder(dir, 0);
    recorder.noteCommitted(5, hash('a'));
    await new Promise((resolve) => setTimeout(resolve, 1)); // the timed write of 5 has started
    recorder.noteCommitted(9, hash('b'));
    recorder.flushSync(); // what close() does
    await recorder.settled();
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    writeHeadRecordSync(dir, 9, hash('b')); // what a restore finishing its store does next
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readHeadRecord(dir)).toMatchObject({ position: 9, hash: hash('b') });
  });

  it('resolves at once when nothing is being written', async () => {
    const recorder = new HeadRecorder(temp.dir());
    await expect(recorder.settled()).resolves.toBeUndefined();
  });
});
