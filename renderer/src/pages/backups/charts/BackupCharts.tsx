import { useState } from 'react';
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { BackupKind, CatalogEntry } from '../../../../../shared/backup.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { formatAbsolute, formatDuration } from '../../../format/time.js';
import { Panel } from '../../../ui/Panel.js';
import { fittingRange, rangeStart, TimeRangeSelector, type TimeRangeId } from '../../../ui/TimeRangeSelector.js';
import { useNow } from '../../../ui/useNow.js';
import { KIND_LABELS } from '../labels.js';
import { positionRange } from '../catalog/archiveState.js';
import { byteTicks, durationTicks, formatDurationTick, formatTimeTick, timeTicks } from '../scales.js';

interface Point {
  readonly at: number;
  readonly bytes: number;
  readonly durationMs: number | null;
  readonly kind: BackupKind;
  readonly name: string;
  readonly events: number;
  readonly positions: string;
}

function PointTooltip({ active, payload }: TooltipContentProps) {
  const point = payload?.[0]?.payload as Point | undefined;
  if (active !== true || point === undefined) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip__time">{formatAbsolute(point.at)}</div>
      <div className="chart-tooltip__value">
        <strong>{KIND_LABELS[point.kind]}</strong> · positions {point.positions} · {formatCount(point.events)} events
      </div>
      <div className="chart-tooltip__value">
        size <strong>{formatBytes(point.bytes)}</strong> ({formatCount(point.bytes)} bytes)
      </div>
      <div className="chart-tooltip__value">duration {point.durationMs === null ? 'not recorded' : <strong>{formatDuration(point.durationMs)}</strong>}</div>
    </div>
  );
}

/** Archive size and run duration over time, full and incremental apart, with a range selector. */
export function BackupCharts({ entries, durations }: { readonly entries: readonly CatalogEntry[]; readonly durations: ReadonlyMap<string, number> }) {
  const now = useNow(60_000);
  const points: Point[] = entries
    .filter((e) => e.archiveBytes !== null)
    .map((e) => ({
      at: Date.parse(e.manifest.createdAt),
      bytes: e.archiveBytes!,
      durationMs: durations.get(e.archive) ?? null,
      kind: e.manifest.kind,
      name: e.name,
      events: e.manifest.eventCount,
      positions: positionRange(e),
    }))
    .sort((a, b) => a.at - b.at);
  const [chosen, setChosen] = useState<TimeRangeId | null>(null);
  const times = points.map((p) => p.at);
  const range = chosen ?? fittingRange(times, now);
  const from = rangeStart(range, times, now);
  const shown = points.filter((p) => p.at >= from);
  const span = now - from;
  const domain: [number, number] = [from, now + span * 0.02];
  const full = shown.filter((p) => p.kind === 'full');
  const incremental = shown.filter((p) => p.kind === 'incremental');
  const timed = shown.filter((p) => p.durationMs !== null);
  const xTicks = timeTicks(domain[0], domain[1], 6);
  const sizeTicks = byteTicks(Math.max(0, ...shown.map((p) => p.bytes)));
  const maxMs = Math.max(0, ...timed.map((p) => p.durationMs ?? 0));
  const msTicks = durationTicks(maxMs);
  const xAxis = (
    <XAxis dataKey="at" type="number" scale="time" domain={domain} allowDataOverflow ticks={xTicks.ticks} tickFormatter={(t: number) => formatTimeTick(t, xTicks.step)} tickLine={false} className="chart-axis" />
  );

  return (
    <Panel
      title="Archive size and backup duration"
      testId="backup-charts"
      actions={<TimeRangeSelector value={range} onChange={setChosen} />}
    >
      <div className="backup-charts">
        <figure className="backup-chart">
          <figcaption className="backup-chart__title">Archive size</figcaption>
          <div className="chart-frame chart-frame--small">
            <ResponsiveContainer width="100%" height="100%">
              <ScatterChart margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid vertical={false} className="chart-grid" />
                {xAxis}
                <YAxis dataKey="bytes" type="number" domain={[0, sizeTicks[sizeTicks.length - 1]!]} ticks={sizeTicks} tickFormatter={(v: number) => formatBytes(v)} width={70} tickLine={false} axisLine={false} className="chart-axis" />
                <Tooltip content={(props) => <PointTooltip {...props} />} isAnimationActive={false} cursor={{ className: 'chart-cursor-line' }} />
                <Scatter name="Full" data={full} className="chart-series chart-series--full" line isAnimationActive={false} />
                <Scatter name="Incremental" data={incremental} className="chart-series chart-series--incremental" line isAnimationActive={false} />
              </ScatterChart>
            </ResponsiveContainer>
            {shown.length === 0 && (
              <div className="chart-empty">
                <span>No archive in this range.</span>
              </div>
            )}
          </div>
        </figure>
        <figure className="backup-chart">
          <figcaption className="backup-chart__title">Backup run duration (with verification)</figcaption>
          <div className="chart-frame chart-frame--small">
            <ResponsiveContainer width="100%" height="100%">
              <ScatterChart margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid vertical={false} className="chart-grid" />
                {xAxis}
                <YAxis dataKey="durationMs" type="number" domain={[0, msTicks[msTicks.length - 1]!]} ticks={msTicks} tickFormatter={(v: number) => formatDurationTick(v, maxMs)} width={70} tickLine={false} axisLine={false} className="chart-axis" />
                <Tooltip content={(props) => <PointTooltip {...props} />} isAnimationActive={false} cursor={{ className: 'chart-cursor-line' }} />
                <Scatter name="Full" data={timed.filter((p) => p.kind === 'full')} className="chart-series chart-series--full" line isAnimationActive={false} />
                <Scatter name="Incremental" data={timed.filter((p) => p.kind === 'incremental')} className="chart-series chart-series--incremental" line isAnimationActive={false} />
              </ScatterChart>
            </ResponsiveContainer>
            {timed.length === 0 && (
              <div className="chart-empty">
                <span>{shown.length === 0 ? 'No archive in this range.' : 'No run durations recorded for these archives.'}</span>
              </div>
            )}
          </div>
        </figure>
      </div>
      <div className="chart-foot">
        <span>
          <span className="swatch swatch--full" /> Full <span className="swatch swatch--incremental" /> Incremental
        </span>
        <span className="muted">
          {formatCount(shown.length)} of {formatCount(points.length)} archives in range · {formatBytes(shown.reduce((s, p) => s + p.bytes, 0))}
        </span>
      </div>
    </Panel>
  );
}
