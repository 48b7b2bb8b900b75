import { useApiQuery } from '../../api/hooks.js';
import { recoveryHref } from '../../app/routes.js';
import { formatDuration } from '../../format/time.js';
import { InlineError } from '../../ui/ErrorPanel.js';
import { Panel } from '../../ui/Panel.js';
import { Skeleton } from '../../ui/Skeleton.js';
import { TimeStamp } from '../../ui/TimeStamp.js';
import { DRILL_OUTCOME_TONES, formatTarget } from './labels.js';

/** A measure against its target, in words: "1.4 s (target 5 min: met)". */
function againstTarget(ms: number | null, targetMs: number | null): string {
  if (ms === null) return '—';
  if (targetMs === null) return formatDuration(ms);
  return `${formatDuration(ms)} (target ${formatTarget(targetMs)}: ${ms <= targetMs ? 'met' : 'missed'})`;
}

/**
 * Overview's drill card: the warning when the last drill failed, is overdue, missed a target, or none has
 * run under a policy; else the last drill's RTO and RPO. Light: no chart (those are on the Recovery page).
 */
export function OverviewDrillCard() {
  const status = useApiQuery('recovery.drillStatus', {}, { refetchInterval: 60_000 });
  const data = status.data;
  const warning = data?.warning ?? null;
  const last = data?.last ?? null;
  const tone = warning === null ? (last?.outcome === 'succeeded' ? 'ok' : 'neutral') : warning.severity === 'error' ? 'bad' : 'warn';
  return (
    <Panel
      title="Recovery drills"
      testId="overview-drill-card"
      actions={
        <a className="button button--small" href={recoveryHref({ tab: 'drills' })}>
          Open Recovery
        </a>
      }
    >
      {status.error !== null ? (
        <InlineError error={status.error} />
      ) : data === undefined ? (
        <Skeleton width="70%" height="3em" />
      ) : (
        <>
          <div className={`integrity__status ${tone === 'bad' ? 'tone-bad' : tone === 'warn' ? 'tone-warn' : ''}`} data-testid="overview-drill-state" data-code={warning?.code ?? (last === null ? 'none' : last.outcome)}>
            <span className={`dot dot--${tone}`} />
            {warning !== null ? warning.message : last === null ? (data.policy === null ? 'No drill policy' : 'No drill yet') : `Last drill ${last.outcome}`}
          </div>
          {data.policy === null && last === null ? (
            <p className="muted">A drill restores the newest backup chain into a scratch folder on a schedule and verifies it: proof that the backups restore, with the RTO measured.</p>
          ) : (
            <dl className="facts">
              <dt>Last drill</dt>
              <dd>
                {last === null ? (
                  '—'
                ) : (
                  <>
                    <span className={`status-pill status-pill--${DRILL_OUTCOME_TONES[last.outcome]}`}>{last.outcome}</span> <TimeStamp at={last.startedAt} mode="relative" />
                  </>
                )}
              </dd>
              <dt>RTO</dt>
              <dd>{againstTarget(last?.rtoMs ?? null, last?.rtoTargetMs ?? null)}</dd>
              <dt>RPO</dt>
              <dd>{againstTarget(last?.rpoMs ?? null, last?.rpoTargetMs ?? null)}</dd>
              <dt>Next drill</dt>
              <dd>{data.next === null ? 'none scheduled' : <TimeStamp at={data.next.at} mode="relative" />}</dd>
            </dl>
          )}
        </>
      )}
    </Panel>
  );
}
