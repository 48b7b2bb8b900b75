import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import type { RecentStore } from '../../shared/api/types.js';
import { writeFileDurablySync } from '../platform/index.js';

const fileSchema = z.array(z.object({ path: z.string(), lastOpenedAt: z.string() }));
const KEEP = 10;

/** The desktop app's list of recently opened stores, in a small JSON file in the user-data folder. */
export class RecentStores {
  constructor(private readonly file: string) {}

  list(): RecentStore[] {
    return this.read().map((r) => ({ ...r, name: basename(r.path), exists: existsSync(r.path) }));
  }

  touch(path: string, at: Date = new Date()): void {
    const entries = this.read().filter((r) => r.path !== path);
    entries.unshift({ path, lastOpenedAt: at.toISOString() });
    writeFileDurablySync(this.file, JSON.stringify(entries.slice(0, KEEP), null, 2) + '\n');
  }

  private read(): Array<{ path: string; lastOpenedAt: string }> {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }
}
