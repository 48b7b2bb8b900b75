import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { EventRateRange } from '../../../../shared/api/contract.js';
import { useApiQuery } from '../../api/hooks.js';
import { formatCount } from '../../format/numbers.js';
import { formatClock } from '../../format/time.js';
import { ErrorPanel } from '../../ui/ErrorPanel.js';
import { Panel } from '../../ui/Panel.js';
import { Skeleton } from '../../ui/Skeleton.js';

const RANGE_LABELS: Readonly<Record<EventRateRange, string>> = { '15m': '15 min', '1h': '1 h', '24h': '24 h', '7d': '7 d' };
// From the labels (a Record: one per range of the contract) rather than the contract's list, whose module
// brings the zod schemas into the renderer's bundle.
const RANGES = Object.keys(RANGE_LABELS) as EventRateRange[];

function bucketName(bucketMs: number): string {
  if (bucketMs === 60_000) return 'minute';
  if (bucketMs === 3_600_000) return 'hour';
  if (bucketMs % 60_000 === 0) return `${bucketMs / 60_000} min`;
  return `${bucketMs / 1000} s`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function tickFormatter(range: EventRateRange) {
  return (at: number) => {
    const d = new Date(at);
    if (range === '7d') return `${WEEKDAYS[d.getDay()]} ${pad(d.getHours())}:00`;
    return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
}

function RateTooltip({ active, payload, bucketMs }: TooltipContentProps & { readonly bucketMs: number }) {
  const point = payload?.[0];
  if (active !== true || point === undefined) return null;
  const at = (point.payload as { at: number }).at;
  const d = new Date(at);
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip__time">
        {d.toLocaleDateString('en-CA')} {formatClock(at)} – {formatClock(at + bucketMs)}
      </div>
      <div className="chart-tooltip__value">
        <strong>{formatCount(Number(point.value ?? 0))}</strong> events
      </div>
    </div>
  );
}

/** Events appended per bucket of time, with a range selector; live updates do not re-animate. */
export function EventRateChart() {
  const [range, setRange] = useState<EventRateRange>('1h');
  const rate = useApiQuery('store.eventRate', { range }, { placeholderData: keepPreviousData });
  const series = rate.data;
  const total = series?.buckets.reduce((sum, b) => sum + b.events, 0) ?? 0;
  return (
    <Panel
      title={series === undefined ? 'Events appended' : `Events per ${bucketName(series.bucketMs)}`}
      testId="event-rate-chart"
      actions={
        <div className="segmented" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button key={r} type="button" className={`segmented__item${r === range ? ' segmented__item--on' : ''}`} aria-pressed={r === range} onClick={() => setRange(r)}>
              {RANGE_LABELS[r]}
            </button>
          ))}
        </div>
      }
    >
      <div className="chart-frame">
        {rate.error !== null ? (
          <ErrorPanel error={rate.error} onRetry={() => void rate.refetch()} />
        ) : series === undefined ? (
          <Skeleton height="100%" />
        ) : (
          <>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={series.buckets} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap={1}>
                <CartesianGrid vertical={false} className="chart-grid" />
                <XAxis dataKey="at" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tickFormatter(range)} minTickGap={40} tickLine={false} className="chart-axis" />
                <YAxis allowDecimals={false} tickFormatter={(v: number) => formatCount(v)} width={64} tickLine={false} axisLine={false} className="chart-axis" />
                <Tooltip content={(props) => <RateTooltip {...props} bucketMs={series.bucketMs} />} cursor={{ className: 'chart-cursor' }} isAnimationActive={false} />
                <Bar dataKey="events" className="chart-bar" isAnimationActive={false} minPointSize={0} />
              </BarChart>
            </ResponsiveContainer>
            {total === 0 && (
              <div className="chart-empty">
                <span>No events were appended in the last {RANGE_LABELS[range]}.</span>
              </div>
            )}
          </>
        )}
      </div>
      {series !== undefined && (
        <div className="chart-foot">
          <span>
            {formatCount(total)} events in the last {RANGE_LABELS[range]}
          </span>
          <span className="muted">
            peak {formatCount(Math.max(0, ...series.buckets.map((b) => b.events)))} per {bucketName(series.bucketMs)}
          </span>
        </div>
      )}
    </Panel>
  );
}
