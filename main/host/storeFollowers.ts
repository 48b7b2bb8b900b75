/**
 * Things bound to the open store's objects (live subscriptions): detached before the store closes and
 * attached again to the store opened in its place, so they outlive a restore or a switch.
 */
interface Follower {
  readonly attach: (replaced: boolean) => () => void;
  detach: (() => void) | undefined;
}

export class StoreFollowers {
  private readonly followers = new Set<Follower>();

  /** Adds a follower; attaches it now when a store is open. Returns the function that removes it. */
  add(attach: (replaced: boolean) => () => void, storeOpen: boolean): () => void {
    const follower: Follower = { attach, detach: undefined };
    if (storeOpen) follower.detach = attach(false);
    this.followers.add(follower);
    return () => {
      this.followers.delete(follower);
      const detach = follower.detach;
      follower.detach = undefined;
      detach?.();
    };
  }

  detachAll(): void {
    for (const follower of this.followers) {
      const detach = follower.detach;
      follower.detach = undefined;
      try {
        detach?.();
      } catch (error) {
        process.stderr.write(`detaching a subscription from the store failed: ${(error as Error).message}\n`);
      }
    }
  }

  /** `replaced`: the log may differ from what the followers saw (false when a failed restore reopened it unchanged). */
  attachAll(replaced: boolean): void {
    for (const follower of this.followers) {
      try {
        follower.detach = follower.attach(replaced);
      } catch (error) {
        process.stderr.write(`a subscription could not follow the reopened store: ${(error as Error).message}\n`);
      }
    }
  }
}
