import { useEffect, useState } from 'react';
import { shortenId } from '../format/ids.js';
import { copyText } from './copy.js';

/**
 * An id or hash in monospace: shortened, the full value in the tooltip, copied on click. `full` shows
 * it whole (wrapped) where there is room.
 */
export function CopyId({ value, head = 8, tail = 4, full = false, label = 'value' }: { readonly value: string; readonly head?: number; readonly tail?: number; readonly full?: boolean; readonly label?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const timer = window.setTimeout(() => setCopied(false), 1200);
    return () => window.clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className={`copy-id${full ? ' copy-id--full' : ''}`}
      title={`${value}\n(click to copy)`}
      aria-label={`Copy ${label} ${value}`}
      data-value={value}
      onClick={(e) => {
        e.stopPropagation();
        void copyText(value).then(setCopied);
      }}
    >
      <span className="copy-id__text">{full ? value : shortenId(value, head, tail)}</span>
      <span className="copy-id__state" aria-live="polite">
        {copied ? 'copied' : ''}
      </span>
    </button>
  );
}
