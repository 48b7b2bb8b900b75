import type { CSSProperties } from 'react';

/** A quiet placeholder of the size the content will have, so nothing jumps when it arrives. */
export function Skeleton({ width = '100%', height = '1em', className = '' }: { readonly width?: CSSProperties['width']; readonly height?: CSSProperties['height']; readonly className?: string }) {
  return <span className={`skeleton ${className}`} style={{ width, height }} aria-hidden="true" />;
}

export function Spinner({ label = 'Loading' }: { readonly label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}
