import type { ReactNode } from 'react';
import { Skeleton } from './Skeleton.js';

/** One figure of a page's strip of metrics (Overview, Backups): a label, the value, a line under it. */
export function Metric({ label, value, children, testId, state }: { readonly label: string; readonly value: ReactNode; readonly children?: ReactNode; readonly testId?: string; readonly state?: string }) {
  return (
    <div className="metric" data-testid={testId} data-state={state}>
      <div className="metric__label">{label}</div>
      <div className="metric__value">{value}</div>
      {children !== undefined && <div className="metric__sub">{children}</div>}
    </div>
  );
}

/** The strip of metrics while it loads: placeholders of the size the figures will have. */
export function MetricsSkeleton({ count = 6 }: { readonly count?: number }) {
  return (
    <div className="metrics" aria-busy="true">
      {Array.from({ length: count }, (_, i) => (
        <div className="metric" key={i}>
          <Skeleton width="6em" />
          <Skeleton width="8em" height="1.6em" className="metric__value" />
          <Skeleton width="10em" />
        </div>
      ))}
    </div>
  );
}
