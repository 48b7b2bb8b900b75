import { uuidv7 } from '../../main/platform/uuid7.js';
import { seededRandom } from '../../main/platform/seededRandom.js';

/** Streams the big data set is spread over, like an import of a real system's history. */
export const STREAMS = 10_000;
/** One stream gets exactly every 1,000th event: the "1,000-event stream among 10,000" of read-stream. */
export const HOT_STREAM = 'customer-hot';
const HOT_EVERY = 1000;

export interface BenchEvent {
  /** Pre-generated for the bare baselines; the engine generates its own. */
  readonly eventId: string;
  readonly streamId: string;
  /** What the stream's version will be (the bare baselines need it; the engine works it out). */
  readonly streamVersion: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

const TYPES = ['OrderPlaced', 'OrderPaid', 'ItemAdded', 'ItemRemoved', 'OrderShipped', 'AddressChanged'];
const CITIES = ['Lisbon', 'Utrecht', 'Gdańsk', 'Zürich', 'Montréal', 'Osaka', 'Porto Alegre', 'Tromsø'];
const WORDS = ['fragile', 'gift', 'leave at door', 'express', 'call first', 'no invoice', 'weekend', 'signature'];


/**
 * Generates the benchmark's events in order: ~200 bytes of JSON data each, spread at random over
 * STREAMS streams (one of which, HOT_STREAM, gets every 1,000th event).
 */
export class EventGenerator {
  private readonly random: () => number;
  private readonly versions = new Int32Array(STREAMS).fill(-1);
  private readonly streamIds = Array.from({ length: STREAMS }, (_, i) => (i === 0 ? HOT_STREAM : `customer-${String(i).padStart(5, '0')}`));
  private n = 0;

  constructor(seed = 42) {
    this.random = seededRandom(seed);
  }

  get generated(): number {
    return this.n;
  }

  next(): BenchEvent {
    const r = this.random;
    const n = this.n++;
    const s = n % HOT_EVERY === 0 ? 0 : 1 + Math.floor(r() * (STREAMS - 1));
    const version = ++this.versions[s]!;
    const items = 1 + Math.floor(r() * 2);
    const data: Record<string, unknown> = {
      orderId: `ord-${String(n).padStart(8, '0')}`,
      status: 'open',
      amount: Math.round(r() * 100_000) / 100,
      currency: 'EUR',
      items: Array.from({ length: items }, () => ({ sku: `SKU-${Math.floor(r() * 90_000) + 10_000}`, qty: 1 + Math.floor(r() * 5), price: Math.round(r() * 10_000) / 100 })),
      shipTo: { city: CITIES[Math.floor(r() * CITIES.length)]!, postcode: String(Math.floor(r() * 90_000) + 10_000) },
      note: WORDS[Math.floor(r() * WORDS.length)]!,
    };
    return {
      eventId: uuidv7(),
      streamId: this.streamIds[s]!,
      streamVersion: version,
      type: TYPES[Math.floor(r() * TYPES.length)]!,
      data,
      metadata: { correlationId: `corr-${n}`, actor: 'bench' },
    };
  }

  batch(size: number): BenchEvent[] {
    const out = new Array<BenchEvent>(size);
    for (let i = 0; i < size; i++) out[i] = this.next();
    return out;
  }
}
