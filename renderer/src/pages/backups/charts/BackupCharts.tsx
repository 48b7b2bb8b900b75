import type { BackupKind, CatalogEntry } from '../../../../../shared/backup.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { formatDuration } from '../../../format/time.js';
import { Panel } from '../../../ui/Panel.js';
import { TimeRangeSelector } from '../../../ui/TimeRangeSelector.js';
import { positionRange } from '../catalog/archiveState.js';
import { KIND_LABELS } from '../labels.js';
import { byteScale, durationScale } from '../scales.js';
import { TimeScatterChart, useChartRange, type ScatterSeries } from './TimeScatterChart.js';

interface Point {
  readonly at: number;
  readonly bytes: number;
  readonly durationMs: number | null;
  readonly kind: BackupKind;
  readonly name: string;
  readonly events: number;
  readonly positions: string;
}

function describe(point: Point) {
  return (
    <>
      <div className="chart-tooltip__value">
        <strong>{KIND_LABELS[point.kind]}</strong> · positions {point.positions} · {formatCount(point.events)} events
      </div>
      <div className="chart-tooltip__value">
        size <strong>{formatBytes(point.bytes)}</strong> ({formatCount(point.bytes)} bytes)
      </div>
      <div className="chart-tooltip__value">duration {point.durationMs === null ? 'not recorded' : <strong>{formatDuration(point.durationMs)}</strong>}</div>
    </>
  );
}

/** Full and incremental apart: one series each. */
function byKind(points: readonly Point[]): ScatterSeries<Point>[] {
  return [
    { name: 'Full', data: points.filter((p) => p.kind === 'full'), className: 'chart-series--full', line: true },
    { name: 'Incremental', data: points.filter((p) => p.kind === 'incremental'), className: 'chart-series--incremental', line: true },
  ];
}

/** Archive size and run duration over time, full and incremental apart, with a range selector. */
export function BackupCharts({ entries, durations }: { readonly entries: readonly CatalogEntry[]; readonly durations: ReadonlyMap<string, number> }) {
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
  const { range, setRange, from, domain } = useChartRange(points.map((p) => p.at));
  const shown = points.filter((p) => p.at >= from);
  const timed = shown.filter((p) => p.durationMs !== null);

  return (
    <Panel title="Archive size and backup duration" testId="backup-charts" actions={<TimeRangeSelector value={range} onChange={setRange} />}>
      <div className="backup-charts">
        <TimeScatterChart title="Archive size" domain={domain} yKey="bytes" y={byteScale(Math.max(0, ...shown.map((p) => p.bytes)), formatBytes)} series={byKind(shown)} describe={describe} empty="No archive in this range." />
        <TimeScatterChart
          title="Backup run duration (with verification)"
          domain={domain}
          yKey="durationMs"
          y={durationScale(Math.max(0, ...timed.map((p) => p.durationMs ?? 0)))}
          series={byKind(timed)}
          describe={describe}
          empty={shown.length === 0 ? 'No archive in this range.' : 'No run durations recorded for these archives.'}
        />
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
