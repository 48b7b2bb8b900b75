/** The renderer's origin: a privileged custom scheme, so file:// is never trusted. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://console';

/** What the trust check reads of a sender frame; Electron's WebFrameMain has both. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: SenderFrame | null;
}

/**
 * IPC is accepted only from our own page's top frame: not an iframe, not another origin, not a frame
 * that is gone (Electron gives `null` once the sender navigated away or was destroyed).
 */
export function isTrustedFrame(frame: SenderFrame | null | undefined): boolean {
  if (frame === null || frame === undefined) return false;
  return frame.parent === null && isAppUrl(frame.url);
}

/**
 * Whether a URL is one of our own pages. Not `new URL(url).origin === APP_ORIGIN`: Node's URL knows only
 * the special schemes, and for `app://console/…` its `origin` is the string "null", so that comparison
 * refuses our own page (Chromium, which registered the scheme as standard, would say `app://console`).
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
