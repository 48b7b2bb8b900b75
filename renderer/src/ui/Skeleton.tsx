import type { CSSProperties } from 'react';

interface SkeletonProps {
  readonly width?: CSSProperties['width'];
  readonly height?: CSSProperties['height'];
  readonly className?: string;
  /** No shimmer: for placeholders that come and go by the dozen while a list scrolls (an animation repaints every frame). */
  readonly still?: boolean;
}

/** A quiet placeholder of the size the content will have, so nothing jumps when it arrives. */
export function Skeleton({ width = '100%', height = '1em', className = '', still = false }: SkeletonProps) {
  return <span className={`skeleton${still ? ' skeleton--still' : ''} ${className}`} style={{ width, height }} aria-hidden="true" />;
}

export function Spinner({ label = 'Loading' }: { readonly label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}
