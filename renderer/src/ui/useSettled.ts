import { useEffect, useRef, useState } from 'react';

/**
 * `value` once it has rested for `quietMs`, and, while it keeps changing, at most every `maxWaitMs`: a
 * debounce that still follows a value in steady motion (a list being scrolled fetches as it goes).
 */
export function useSettled<T>(value: T, quietMs: number, maxWaitMs: number): T {
  const [settled, setSettled] = useState(value);
  const lastSettledAt = useRef(0);
  useEffect(() => {
    const now = performance.now();
    const wait = Math.max(0, Math.min(quietMs, lastSettledAt.current + maxWaitMs - now));
    const timer = window.setTimeout(() => {
      lastSettledAt.current = performance.now();
      setSettled(value);
    }, wait);
    return () => window.clearTimeout(timer);
  }, [value, quietMs, maxWaitMs]);
  return settled;
}
