import { useEffect, useRef, useState, type RefObject } from 'react';

/** The content width of an element, followed with a ResizeObserver (for drawings sized in pixels). */
export function useElementWidth<E extends HTMLElement>(initial = 800): readonly [RefObject<E | null>, number] {
  const ref = useRef<E>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return undefined;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined && w > 0) setWidth(Math.floor(w));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}
