import type { WebFrameMain } from 'electron';

/** The renderer's origin: a privileged custom scheme, so file:// is never trusted. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://console';

/** IPC is accepted only from our own page's top frame (not an iframe, not another origin). */
export function isTrustedFrame(frame: WebFrameMain | null | undefined): boolean {
  if (frame === null || frame === undefined) return false;
  if (frame.parent !== null) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}
