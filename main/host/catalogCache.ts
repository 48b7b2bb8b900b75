import { statSync } from 'node:fs';

/** An archive changed in place (damage) does not touch its folder's mtime: catalogs are reread this often anyway. */
const CATALOG_TTL_MS = 30_000;

/**
 * Folder catalogs, reread when the folder changed (its mtime: archives and verification records are
 * written by rename) or after CATALOG_TTL_MS, so Overview's refreshes do not reread every sidecar.
 */
export class CatalogCache {
  private readonly catalogs = new Map<string, { mtimeMs: number; at: number; value: unknown }>();

  constructor(private readonly clock: () => number) {}

  async of<T>(dir: string, read: () => Promise<T>): Promise<T> {
    let mtimeMs = -1;
    try {
      mtimeMs = statSync(dir).mtimeMs;
    } catch {
      /* read() reports it */
    }
    const cached = this.catalogs.get(dir) as { mtimeMs: number; at: number; value: T } | undefined;
    if (cached !== undefined && cached.mtimeMs === mtimeMs && this.clock() - cached.at < CATALOG_TTL_MS) return cached.value;
    const value = await read();
    this.catalogs.set(dir, { mtimeMs, at: this.clock(), value });
    return value;
  }

  /** Drops cached catalogs (all, or one folder's) after this process changed them. */
  forget(dir?: string): void {
    if (dir === undefined) this.catalogs.clear();
    else this.catalogs.delete(dir);
  }
}
