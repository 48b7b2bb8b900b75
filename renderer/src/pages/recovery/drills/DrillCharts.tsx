import { useState } from 'react';
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { DrillRecord } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { formatAbsolute, formatDuration } from '../../../format/time.js';
import { Panel } from '../../../ui/Panel.js';
import { fittingRange, rangeStart, TimeRangeSelector, type TimeRangeId } from '../../../ui/TimeRangeSelector.js';
import { useNow } from '../../../ui/useNow.js';
import { durationTicks, formatDurationTick, formatTimeTick, timeTicks } from '../../backups/scales.js';
import { formatTarget } from '../labels.js';

interface Point {
  readonly at: number;
  readonly ms: number;
  readonly targetMs: number | null;
  readonly events: number | null;
  readonly met: boolean | null;
}

function PointTooltip({ active, payload, what }: TooltipContentProps & { readonly what: string }) {
  const point = payload?.[0]?.payload as Point | undefined;
  if (active !== true || point === undefined) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip__time">{formatAbsolute(point.at)}</div>
      <div className="chart-tooltip__value">
        {what} <strong>{formatDuration(point.ms)}</strong>
        {point.targetMs !== null && ` · target ${formatTarget(point.targetMs)} (${point.ms <= point.targetMs ? 'met' : 'missed'})`}
      </div>
      {point.events !== null && <div className="chart-tooltip__value">{formatCount(point.events)} events restored</div>}
    </div>
  );
}

/** One measure of the drills over time against its target line (the newest target; each point keeps its own in the tooltip). */
function MeasureChart({ title, what, points, target, domain, testId }: { readonly title: string; readonly what: string; readonly points: readonly Point[]; readonly target: number | null; readonly domain: readonly [number, number]; readonly testId: string }) {
  const maxMs = Math.max(0, target ?? 0, ...points.map((p) => p.ms)) * 1.1;
  const yTicks = durationTicks(maxMs);
  const xTicks = timeTicks(domain[0], domain[1], 6);
  const met = points.filter((p) => p.met !== false);
  const missed = points.filter((p) => p.met === false);
  return (
    <figure className="backup-chart" data-testid={testId}>
      <figcaption className="backup-chart__title">{title}</figcaption>
      <div className="chart-frame chart-frame--small">
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} className="chart-grid" />
            <XAxis dataKey="at" type="number" scale="time" domain={[domain[0], domain[1]]} allowDataOverflow ticks={xTicks.ticks} tickFormatter={(t: number) => formatTimeTick(t, xTicks.step)} tickLine={false} className="chart-axis" />
            <YAxis dataKey="ms" type="number" domain={[0, yTicks[yTicks.length - 1]!]} ticks={yTicks} tickFormatter={(v: number) => formatDurationTick(v, maxMs)} width={70} tickLine={false} axisLine={false} className="chart-axis" />
            <Tooltip content={(props) => <PointTooltip {...props} what={what} />} isAnimationActive={false} cursor={{ className: 'chart-cursor-line' }} />
            {target !== null && <ReferenceLine y={target} className="chart-target" strokeDasharray="5 4" ifOverflow="extendDomain" label={{ value: `target ${formatTarget(target)}`, position: 'insideTopRight', className: 'chart-target__label' }} />}
            <Scatter name={`${what} met`} data={met} className="chart-series chart-series--full" line isAnimationActive={false} />
            <Scatter name={`${what} missed`} data={missed} className="chart-series chart-series--missed" isAnimationActive={false} />
          </ScatterChart>
        </ResponsiveContainer>
        {points.length === 0 && (
          <div className="chart-empty">
            <span>No successful drill in this range.</span>
          </div>
        )}
      </div>
    </figure>
  );
}

/** RTO and RPO achieved by each successful drill, over time, against their targets (UI.md's "proof that backups restore"). */
export function DrillCharts({ drills }: { readonly drills: readonly DrillRecord[] }) {
  const now = useNow(60_000);
  const done = drills.filter((d) => d.outcome === 'succeeded' && d.rtoMs !== null);
  const times = done.map((d) => Date.parse(d.startedAt));
  const [chosen, setChosen] = useState<TimeRangeId | null>(null);
  const range = chosen ?? fittingRange(times, now);
  const from = rangeStart(range, times, now);
  const domain = [from, now + (now - from) * 0.02] as const;
  const inRange = done.filter((d) => Date.parse(d.startedAt) >= from).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const rto: Point[] = inRange.map((d) => ({ at: Date.parse(d.startedAt), ms: d.rtoMs!, targetMs: d.rtoTargetMs, events: d.events, met: d.rtoTargetMs === null ? null : d.rtoMs! <= d.rtoTargetMs }));
  const rpo: Point[] = inRange
    .filter((d) => d.rpoMs !== null)
    .map((d) => ({ at: Date.parse(d.startedAt), ms: d.rpoMs!, targetMs: d.rpoTargetMs, events: d.events, met: d.rpoTargetMs === null ? null : d.rpoMs! <= d.rpoTargetMs }));
  const newest = inRange[inRange.length - 1] ?? done[done.length - 1];
  const failed = drills.filter((d) => (d.outcome === 'failed' || d.outcome === 'interrupted') && Date.parse(d.startedAt) >= from).length;
  return (
    <Panel title="RTO and RPO achieved by drills" testId="drill-charts" actions={<TimeRangeSelector value={range} onChange={setChosen} />}>
      <div className="backup-charts">
        <MeasureChart title="RTO: start of the drill to a verified store" what="RTO" points={rto} target={newest?.rtoTargetMs ?? null} domain={domain} testId="drill-rto-chart" />
        <MeasureChart title="RPO: age of the newest restored event" what="RPO" points={rpo} target={newest?.rpoTargetMs ?? null} domain={domain} testId="drill-rpo-chart" />
      </div>
      <div className="chart-foot">
        <span>
          <span className="swatch swatch--full" /> Met or no target <span className="swatch swatch--missed" /> Target missed <span className="swatch swatch--target-line" /> Target
        </span>
        <span className="muted">
          {formatCount(inRange.length)} successful {inRange.length === 1 ? 'drill' : 'drills'} in range{failed > 0 && ` · ${formatCount(failed)} failed (see the history)`}
        </span>
      </div>
    </Panel>
  );
}
