import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { formatCount } from '../../../format/numbers.js';

export interface CountRow {
  readonly name: string;
  readonly events: number;
}

/** Bars drawn: the rest are in the table beside the chart. */
const MOST_BARS = 10;
const BAR_ROW_H = 24;

function CountTooltip({ active, payload, total }: TooltipContentProps & { readonly total: number }) {
  const row = payload?.[0]?.payload as CountRow | undefined;
  if (active !== true || row === undefined) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip__time mono">{row.name}</div>
      <div className="chart-tooltip__value">
        <strong>{formatCount(row.events)}</strong> events{total > 0 && ` · ${((row.events / total) * 100).toFixed(1)}%`}
      </div>
    </div>
  );
}

const shorten = (name: string) => (name.length > 22 ? `${name.slice(0, 21)}…` : name);

/** Counts by name (events by stream or by type) as horizontal bars, largest first. */
export function CountBarChart({ rows, total, label, tone = 'accent' }: { readonly rows: readonly CountRow[]; readonly total: number; readonly label: string; readonly tone?: 'accent' | 'bad' }) {
  const shown = [...rows].sort((a, b) => b.events - a.events).slice(0, MOST_BARS);
  return (
    <div className="count-chart" style={{ height: shown.length * BAR_ROW_H + 28 }} role="img" aria-label={`${label}: ${shown.map((r) => `${r.name} ${formatCount(r.events)}`).join(', ')}`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={shown} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }} barCategoryGap={4}>
          <CartesianGrid horizontal={false} className="chart-grid" />
          <XAxis type="number" allowDecimals={false} tickFormatter={(v: number) => formatCount(v)} tickLine={false} className="chart-axis" />
          <YAxis type="category" dataKey="name" interval={0} width={150} tickFormatter={shorten} tickLine={false} axisLine={false} className="chart-axis chart-axis--names" />
          <Tooltip content={(props) => <CountTooltip {...props} total={total} />} cursor={{ className: 'chart-cursor' }} isAnimationActive={false} />
          <Bar dataKey="events" className={`chart-bar chart-bar--${tone}`} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
