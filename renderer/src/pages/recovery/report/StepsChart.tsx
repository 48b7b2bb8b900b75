import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { RecoveryStep } from '../../../../../shared/recovery.js';
import { formatDuration } from '../../../format/time.js';
import { durationTicks, formatDurationTick } from '../../backups/scales.js';
import { formatShare, stepShares, type StepShare } from './steps.js';


function StepTooltip({ active, payload }: TooltipContentProps) {
  const step = payload?.[0]?.payload as StepShare | undefined;
  if (active !== true || step === undefined) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip__time">{step.name}</div>
      <div className="chart-tooltip__value">
        <strong>{formatDuration(step.ms)}</strong> ({step.ms.toLocaleString('en-US')} ms) · {formatShare(step.share)} of the RTO
      </div>
    </div>
  );
}

const ROW_H = 26;

/** Each step of a run as a bar of its duration, labelled with its share of the RTO. */
export function StepsChart({ steps, rtoMs }: { readonly steps: readonly RecoveryStep[]; readonly rtoMs: number }) {
  const data = stepShares(steps, rtoMs);
  const maxMs = Math.max(0, ...data.map((d) => d.ms));
  const ticks = durationTicks(maxMs);
  return (
    <div className="steps-chart" style={{ height: data.length * ROW_H + 30 }} data-testid="steps-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 0, right: 56, bottom: 0, left: 0 }} barCategoryGap={5}>
          <CartesianGrid horizontal={false} className="chart-grid" />
          <XAxis type="number" dataKey="ms" domain={[0, ticks[ticks.length - 1]!]} ticks={ticks} tickFormatter={(v: number) => formatDurationTick(v, maxMs)} tickLine={false} className="chart-axis" />
          <YAxis type="category" dataKey="name" interval={0} width={150} tickLine={false} axisLine={false} className="chart-axis chart-axis--names" />
          <Tooltip content={(props) => <StepTooltip {...props} />} cursor={{ className: 'chart-cursor' }} isAnimationActive={false} />
          <Bar dataKey="ms" className="chart-bar" isAnimationActive={false} minPointSize={2}>
            <LabelList dataKey="share" position="right" formatter={(v: unknown) => formatShare(Number(v))} className="chart-bar-label" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
