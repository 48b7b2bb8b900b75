import { useState, type ReactNode } from 'react';
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { formatAbsolute } from '../../../format/time.js';
import { fittingRange, rangeStart, type TimeRangeId } from '../../../ui/TimeRangeSelector.js';
import { useNow } from '../../../ui/useNow.js';
import { formatTimeTick, timeTicks, type ValueScale } from '../scales.js';

/** The time range of a history chart: the one chosen, else the smallest that shows every point; the x domain up to now. */
export function useChartRange(times: readonly number[]) {
  const now = useNow(60_000);
  const [chosen, setChosen] = useState<TimeRangeId | null>(null);
  const range = chosen ?? fittingRange(times, now);
  const from = rangeStart(range, times, now);
  return { range, setRange: setChosen, from, domain: [from, now + (now - from) * 0.02] as const };
}

export interface ScatterSeries<P> {
  readonly name: string;
  readonly data: readonly P[];
  /** `chart-series--full`, `--incremental`, `--missed`: the colour. */
  readonly className: string;
  /** Joined by a line (a series over time), or points alone. */
  readonly line?: boolean;
}

function PointTooltip<P extends { readonly at: number }>({ active, payload, describe }: TooltipContentProps & { readonly describe: (point: P) => ReactNode }) {
  const point = payload?.[0]?.payload as P | undefined;
  if (active !== true || point === undefined) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip__time">{formatAbsolute(point.at)}</div>
      {describe(point)}
    </div>
  );
}

/**
 * One measure of a history over time (archive sizes, run durations, a drill's RTO): points at their time,
 * real units on the y axis, exact values in the tooltip, an optional target line, and what an empty range
 * means. The backups' and the drills' charts are this one.
 */
export function TimeScatterChart<P extends { readonly at: number }>({
  title,
  testId,
  domain,
  yKey,
  y,
  series,
  describe,
  target,
  empty,
}: {
  readonly title: string;
  readonly testId?: string;
  readonly domain: readonly [number, number];
  /** The field of a point the y axis shows. */
  readonly yKey: string;
  readonly y: ValueScale;
  readonly series: readonly ScatterSeries<P>[];
  /** The tooltip's lines under the point's time. */
  readonly describe: (point: P) => ReactNode;
  readonly target?: { readonly value: number; readonly label: string } | null;
  /** Said over the chart when no series has a point. */
  readonly empty: string;
}) {
  const xTicks = timeTicks(domain[0], domain[1], 6);
  const shown = series.some((s) => s.data.length > 0);
  return (
    <figure className="backup-chart" data-testid={testId}>
      <figcaption className="backup-chart__title">{title}</figcaption>
      <div className="chart-frame chart-frame--small">
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} className="chart-grid" />
            <XAxis dataKey="at" type="number" scale="time" domain={[domain[0], domain[1]]} allowDataOverflow ticks={xTicks.ticks} tickFormatter={(t: number) => formatTimeTick(t, xTicks.step)} tickLine={false} className="chart-axis" />
            <YAxis dataKey={yKey} type="number" domain={[0, y.ticks[y.ticks.length - 1]!]} ticks={[...y.ticks]} tickFormatter={y.format} width={70} tickLine={false} axisLine={false} className="chart-axis" />
            <Tooltip content={(props) => <PointTooltip {...props} describe={describe} />} isAnimationActive={false} cursor={{ className: 'chart-cursor-line' }} />
            {target != null && <ReferenceLine y={target.value} className="chart-target" strokeDasharray="5 4" ifOverflow="extendDomain" label={{ value: target.label, position: 'insideTopRight', className: 'chart-target__label' }} />}
            {series.map((s) => (
              <Scatter key={s.name} name={s.name} data={[...s.data]} className={`chart-series ${s.className}`} line={s.line === true} isAnimationActive={false} />
            ))}
          </ScatterChart>
        </ResponsiveContainer>
        {!shown && (
          <div className="chart-empty">
            <span>{empty}</span>
          </div>
        )}
      </div>
    </figure>
  );
}
