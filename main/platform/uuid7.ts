import { randomFillSync } from 'node:crypto';

// A UUIDv7 generator (RFC 9562): 48-bit millisecond timestamp, then random bits.
// Hand-written because the `uuid` package's v7() measured ~5 µs per id here (a crypto call per id);
// drawing randomness from a pooled buffer brings it to ~0.2 µs, which matters at 100k+ events/s.

const POOL_SIZE = 16 * 1024;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function randomBytes10(): number {
  if (poolOffset + 10 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += 10;
  return at;
}

/** Returns a new lower-case UUIDv7 for the given time (milliseconds since the epoch). */
export function uuidv7(nowMs: number = Date.now()): string {
  const r = randomBytes10();
  const ts = Math.max(0, Math.floor(nowMs));
  const high = Math.floor(ts / 0x1_0000_0000); // top 16 bits
  const low = ts >>> 0; // bottom 32 bits
  const h = HEX;
  return (
    h[(high >>> 8) & 0xff]! +
    h[high & 0xff]! +
    h[(low >>> 24) & 0xff]! +
    h[(low >>> 16) & 0xff]! +
    '-' +
    h[(low >>> 8) & 0xff]! +
    h[low & 0xff]! +
    '-' +
    h[0x70 | (pool[r]! & 0x0f)]! +
    h[pool[r + 1]!]! +
    '-' +
    h[0x80 | (pool[r + 2]! & 0x3f)]! +
    h[pool[r + 3]!]! +
    '-' +
    h[pool[r + 4]!]! +
    h[pool[r + 5]!]! +
    h[pool[r + 6]!]! +
    h[pool[r + 7]!]! +
    h[pool[r + 8]!]! +
    h[pool[r + 9]!]!
  );
}

/** The millisecond timestamp inside a UUIDv7 (for display and tests). */
export function uuidv7Time(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
