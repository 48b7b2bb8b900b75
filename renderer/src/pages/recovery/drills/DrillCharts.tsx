import type { DrillRecord } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { formatDuration } from '../../../format/time.js';
import { Panel } from '../../../ui/Panel.js';
import { TimeRangeSelector } from '../../../ui/TimeRangeSelector.js';
import { TimeScatterChart, useChartRange } from '../../backups/charts/TimeScatterChart.js';
import { durationScale } from '../../backups/scales.js';
import { formatTarget } from '../labels.js';

interface Point {
  readonly at: number;
  readonly ms: number;
  readonly targetMs: number | null;
  readonly events: number | null;
  readonly met: boolean | null;
}

/** One measure of the drills over time against its target line (the newest target; each point keeps its own in the tooltip). */
function MeasureChart({ title, what, points, target, domain, testId }: { readonly title: string; readonly what: string; readonly points: readonly Point[]; readonly target: number | null; readonly domain: readonly [number, number]; readonly testId: string }) {
  const maxMs = Math.max(0, target ?? 0, ...points.map((p) => p.ms)) * 1.1;
  const describe = (point: Point) => (
    <>
      <div className="chart-tooltip__value">
        {what} <strong>{formatDuration(point.ms)}</strong>
        {point.targetMs !== null && ` · target ${formatTarget(point.targetMs)} (${point.ms <= point.targetMs ? 'met' : 'missed'})`}
      </div>
      {point.events !== null && <div className="chart-tooltip__value">{formatCount(point.events)} events restored</div>}
    </>
  );
  return (
    <TimeScatterChart
      title={title}
      testId={testId}
      domain={domain}
      yKey="ms"
      y={durationScale(maxMs)}
      series={[
        { name: `${what} met`, data: points.filter((p) => p.met !== false), className: 'chart-series--full', line: true },
        { name: `${what} missed`, data: points.filter((p) => p.met === false), className: 'chart-series--missed' },
      ]}
      describe={describe}
      target={target === null ? null : { value: target, label: `target ${formatTarget(target)}` }}
      empty="No successful drill in this range."
    />
  );
}

/** RTO and RPO achieved by each successful drill, over time, against their targets (UI.md's "proof that backups restore"). */
export function DrillCharts({ drills }: { readonly drills: readonly DrillRecord[] }) {
  const done = drills.filter((d) => d.outcome === 'succeeded' && d.rtoMs !== null);
  const { range, setRange, from, domain } = useChartRange(done.map((d) => Date.parse(d.startedAt)));
  const inRange = done.filter((d) => Date.parse(d.startedAt) >= from).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const rto: Point[] = inRange.map((d) => ({ at: Date.parse(d.startedAt), ms: d.rtoMs!, targetMs: d.rtoTargetMs, events: d.events, met: d.rtoTargetMs === null ? null : d.rtoMs! <= d.rtoTargetMs }));
  const rpo: Point[] = inRange
    .filter((d) => d.rpoMs !== null)
    .map((d) => ({ at: Date.parse(d.startedAt), ms: d.rpoMs!, targetMs: d.rpoTargetMs, events: d.events, met: d.rpoTargetMs === null ? null : d.rpoMs! <= d.rpoTargetMs }));
  const newest = inRange[inRange.length - 1] ?? done[done.length - 1];
  const failed = drills.filter((d) => (d.outcome === 'failed' || d.outcome === 'interrupted') && Date.parse(d.startedAt) >= from).length;
  return (
    <Panel title="RTO and RPO achieved by drills" testId="drill-charts" actions={<TimeRangeSelector value={range} onChange={setRange} />}>
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
