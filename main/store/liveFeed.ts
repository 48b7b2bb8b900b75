import type { EventStore } from './eventStore.js';
import type { StoredEvent } from './storedEvent.js';

export interface FeedFilter {
  /** Only these event types (empty or absent: all). */
  readonly types?: readonly string[];
  /** Only streams whose id starts with this. */
  readonly streamPrefix?: string;
}

export interface FeedSubscription {
  unsubscribe(): void;
  /** The position after which the next delivered event will come. */
  readonly cursor: number;
}

interface Subscriber {
  cursor: number;
  readonly filter: FeedFilter;
  readonly types: ReadonlySet<string> | undefined;
  readonly deliver: (events: StoredEvent[], headPosition: number) => void;
}

export interface LiveFeedOptions {
  /** How often other processes' commits are looked for (PRAGMA data_version). */
  readonly pollMs?: number;
  readonly pageSize?: number;
  /**
   * Pages one subscriber may read per turn of the loop, so a subscriber far behind cannot hog it (a page
   * of 250 events is a few ms to read and deliver); the rest follow on the next turns.
   */
  readonly maxPagesPerTick?: number;
}

/**
 * New events for subscribers, whoever appended them. Commits of this process are announced by the
 * store; commits of other processes are noticed by polling `PRAGMA data_version`, which changes when
 * another connection commits and costs microseconds to read.
 */
export class LiveFeed {
  private readonly subscribers = new Set<Subscriber>();
  private readonly headListeners = new Set<(headPosition: number) => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastDataVersion = -1;
  private knownHead: number;
  private pumping = false;
  private readonly pollMs: number;
  private readonly pageSize: number;
  private readonly maxPagesPerTick: number;
  private readonly stopCommitted: () => void;

  constructor(
    private readonly store: EventStore,
    options: LiveFeedOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 100;
    this.pageSize = options.pageSize ?? 250;
    this.maxPagesPerTick = options.maxPagesPerTick ?? 1;
    this.knownHead = store.head().position;
    this.stopCommitted = store.onCommitted((notice) => this.advance(notice.headPosition));
  }

  get headPosition(): number {
    return this.knownHead;
  }

  /** Delivers events after `fromPosition` (default: the current head, i.e. only new ones). */
  subscribe(options: { fromPosition?: number; filter?: FeedFilter; deliver: Subscriber['deliver'] }): FeedSubscription {
    const filter = options.filter ?? {};
    const subscriber: Subscriber = {
      cursor: options.fromPosition ?? this.knownHead,
      filter,
      types: filter.types !== undefined && filter.types.length > 0 ? new Set(filter.types) : undefined,
      deliver: options.deliver,
    };
    this.subscribers.add(subscriber);
    this.ensureTimer();
    if (subscriber.cursor < this.knownHead) setImmediate(() => this.pump());
    return {
      unsubscribe: () => {
        this.subscribers.delete(subscriber);
        if (this.subscribers.size === 0 && this.headListeners.size === 0) this.stopTimer();
      },
      get cursor() {
        return subscriber.cursor;
      },
    };
  }

  /** Calls `listener` whenever the head moves, whichever process appended. */
  watchHead(listener: (headPosition: number) => void): () => void {
    this.headListeners.add(listener);
    this.ensureTimer();
    return () => {
      this.headListeners.delete(listener);
      if (this.subscribers.size === 0 && this.headListeners.size === 0) this.stopTimer();
    };
  }

  close(): void {
    this.stopTimer();
    this.stopCommitted();
    this.subscribers.clear();
    this.headListeners.clear();
  }

  /** Looks for commits of other processes now (the timer calls it; tests may too). */
  poll(): void {
    const version = this.store.db.pragma('data_version', { simple: true }) as number;
    if (version !== this.lastDataVersion) {
      this.lastDataVersion = version;
      this.advance(this.store.head().position);
    } else this.pump();
  }

  private advance(headPosition: number): void {
    if (headPosition > this.knownHead) {
      this.knownHead = headPosition;
      for (const listener of this.headListeners) listener(headPosition);
    }
    this.pump();
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    let behind = false;
    try {
      for (const s of this.subscribers) {
        for (let page = 0; page < this.maxPagesPerTick && s.cursor < this.knownHead; page++) {
          const events = this.store.reader.readAll(s.cursor + 1, this.pageSize);
          if (events.length === 0) break;
          s.cursor = events[events.length - 1]!.globalPosition;
          const matching = events.filter((e) => matches(s, e));
          if (matching.length > 0 || s.cursor >= this.knownHead) s.deliver(matching, this.knownHead);
        }
        if (s.cursor < this.knownHead) behind = true;
      }
    } finally {
      this.pumping = false;
    }
    if (behind) setImmediate(() => this.pump());
  }

  private ensureTimer(): void {
    if (this.timer !== undefined) return;
    this.lastDataVersion = this.store.db.pragma('data_version', { simple: true }) as number;
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

function matches(s: Subscriber, e: StoredEvent): boolean {
  if (s.types !== undefined && !s.types.has(e.type)) return false;
  if (s.filter.streamPrefix !== undefined && s.filter.streamPrefix !== '' && !e.streamId.startsWith(s.filter.streamPrefix)) return false;
  return true;
}
