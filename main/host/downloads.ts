import { randomBytes } from 'node:crypto';

interface Download {
  readonly path: string;
  readonly fileName: string;
  readonly expiresAt: number;
}

const LIFETIME_MS = 5 * 60_000;

/**
 * One-time download links for serve mode (an archive "exported" to the admin's browser). A link is a
 * random path valid once and for five minutes; the server still requires the session cookie.
 */
export class DownloadRegistry {
  private readonly links = new Map<string, Download>();

  constructor(private readonly clock: () => number = Date.now) {}

  create(path: string, fileName: string): string {
    this.sweep();
    const token = randomBytes(24).toString('base64url');
    this.links.set(token, { path, fileName, expiresAt: this.clock() + LIFETIME_MS });
    return `/download/${token}`;
  }

  /** The file behind a link, consumed; undefined when unknown, used or expired. */
  take(token: string): Download | undefined {
    const link = this.links.get(token);
    this.links.delete(token);
    return link !== undefined && link.expiresAt > this.clock() ? link : undefined;
  }

  private sweep(): void {
    const now = this.clock();
    for (const [token, link] of this.links) if (link.expiresAt <= now) this.links.delete(token);
  }
}
