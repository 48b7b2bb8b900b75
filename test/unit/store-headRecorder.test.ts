import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeadRecorder, readHeadRecord, writeHeadRecordSync } from '../../main/store/headRecord.js';
import { leftoverPid } from '../../main/store/leftovers.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();
const hash = (c: string) => c.repeat(64);

describe('HeadRecorder', () => {
  it('creates head.json on the first write and rewrites it in place after that, always 256 bytes', () => {
    const dir = temp.dir();
    const recorder = new HeadRecorder(dir);
    expect(recorder.write(5, hash('a'), true)).toBe(5);
    const inode = statSync(join(dir, 'head.json')).ino;
    expect(recorder.write(9, hash('b'), true)).toBe(9);
    expect(statSync(join(dir, 'head.json'))).toMatchObject({ ino: inode, size: 256 });
    expect(readHeadRecord(dir)).toMatchObject({ position: 9, hash: hash('b') });
    expect(readdirSync(dir)).toEqual(['head.json']);
  });

  it('never lowers the recorded head (a later one recorded is evidence of a loss) and keeps acceptedAt', () => {
    const dir = temp.dir();
    const accepted = new Date('2026-01-02T03:04:05.000Z');
    writeHeadRecordSync(dir, 20, hash('c'), accepted);
    const recorder = new HeadRecorder(dir);
    expect(recorder.write(12, hash('d'), true)).toBe(20);
    expect(readHeadRecord(dir)).toMatchObject({ position: 20, hash: hash('c'), acceptedAt: accepted.toISOString() });
    expect(recorder.write(21, hash('e'), true)).toBe(21);
    expect(readHeadRecord(dir)).toMatchObject({ position: 21, hash: hash('e'), acceptedAt: accepted.toISOString() });
  });

  it('writeHeadRecordSync sets the head on purpose: lower too, with acceptedAt now', () => {
    const dir = temp.dir();
    new HeadRecorder(dir).write(30, hash('f'), true);
    writeHeadRecordSync(dir, 10, hash('a'));
    const record = readHeadRecord(dir)!;
    expect(record).toMatchObject({ position: 10, hash: hash('a') });
    expect(Date.now() - Date.parse(record.acceptedAt!)).toBeLessThan(5000);
  });

  it('rewrites a head.json of the older format (shorter, no padding) to the fixed length', () => {
    const dir = temp.dir();
    writeFileSync(join(dir, 'head.json'), JSON.stringify({ position: 3, hash: hash('a'), writtenAt: '2026-01-01T00:00:00.000Z' }) + '\n');
    new HeadRecorder(dir).write(4, hash('b'), true);
    expect(readFileSync(join(dir, 'head.json')).length).toBe(256);
    expect(readHeadRecord(dir)).toMatchObject({ position: 4 });
  });
});

describe('leftover names', () => {
  it('names the pid of an import spool and of a durable write’s temporary file, nothing else', () => {
    expect(leftoverPid('import-4242-1764790000000.ndjson.tmp')).toBe(4242);
    expect(leftoverPid('head.json.777.0a1b2c3d.tmp')).toBe(777);
    expect(leftoverPid('head.json')).toBeUndefined();
    expect(leftoverPid('events.db-wal')).toBeUndefined();
    expect(leftoverPid('notes.tmp')).toBeUndefined();
  });
});
