import type { DrillStatus } from '../../../../../shared/recovery.js';
import { useApiQuery } from '../../../api/hooks.js';
import { formatCount } from '../../../format/numbers.js';
import { formatDuration } from '../../../format/time.js';
import { ProgressBar } from '../../../ui/ProgressBar.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { formatMinutes } from '../../backups/rpo.js';
import { DRILL_OUTCOME_TONES, DRILL_TRIGGER_LABELS, phaseLabel } from '../labels.js';

const KEY_WORDS = { none: 'none (archives not encrypted)', 'passphrase-file': 'passphrase file', 'identity-file': 'identity file' } as const;

/** Where drills stand: the policy in words, the warning if any, the last and next drills, one running now. */
export function DrillStatusFacts({ status }: { readonly status: DrillStatus }) {
  const { policy, last, lastSuccess, next, running } = status;
  const cron = useApiQuery('backup.describeCron', policy?.timezone === undefined ? { cron: policy?.cron ?? '' } : { cron: policy.cron, timezone: policy.timezone }, { enabled: policy !== null, staleTime: 60_000 });
  const phase = running?.progress?.phase;
  return (
    <div className="drill-status" data-testid="drill-status">
      {status.warning !== null && (
        <div className={`alert ${status.warning.severity === 'error' ? 'alert--bad' : 'alert--warn'}`} role="alert" data-testid="drill-warning" data-code={status.warning.code}>
          <h3 className="alert__title">{status.warning.message}</h3>
          <code className="problem-list__code">{status.warning.code}</code>
        </div>
      )}
      {running !== null && (
        <div className="drill-status__running" data-testid="drill-running">
          <strong>A drill is running</strong> <span className="muted">since <TimeStamp at={running.startedAt} mode="relative" /></span>
          {running.progress !== null && (
            <>
              <ProgressBar done={running.progress.done} total={running.progress.total} label="Drill progress" />
              <span className="muted">
                {phase === undefined ? '' : phaseLabel(phase)} · {formatCount(running.progress.done)}
                {running.progress.total !== null && ` / ${formatCount(running.progress.total)}`} {running.progress.unit}
              </span>
            </>
          )}
        </div>
      )}
      <dl className="facts drill-status__facts">
        <dt>Schedule</dt>
        <dd>
          {policy === null ? (
            <span className="muted">none</span>
          ) : (
            <>
              {!policy.enabled && <span className="status-pill status-pill--neutral">paused</span>} <span className="mono">{policy.cron}</span>
              {cron.data?.valid === true && cron.data.summary !== null && <span className="muted"> · {cron.data.summary}</span>}
              {policy.timezone !== undefined && <span className="muted"> · {policy.timezone}</span>}
            </>
          )}
        </dd>
        {policy !== null && (
          <>
            <dt>Archives</dt>
            <dd className="mono">{policy.backupsDir}</dd>
            <dt>Key</dt>
            <dd>
              {KEY_WORDS[policy.key.kind]}
              {policy.key.kind !== 'none' && <span className="mono"> {policy.key.path}</span>}
            </dd>
            <dt>Targets</dt>
            <dd>
              RTO {policy.rtoTargetMinutes === null ? 'none' : formatMinutes(policy.rtoTargetMinutes)} · RPO {policy.rpoTargetMinutes === null ? 'none' : formatMinutes(policy.rpoTargetMinutes)} · warn after{' '}
              {formatMinutes(policy.maxAgeHours * 60)} without a good drill
            </dd>
          </>
        )}
        <dt>Next drill</dt>
        <dd data-testid="drill-next">{next === null ? <span className="muted">none scheduled</span> : <><TimeStamp at={next.at} /> <span className="muted">({DRILL_TRIGGER_LABELS[next.trigger].toLowerCase()})</span></>}</dd>
        <dt>Last drill</dt>
        <dd data-testid="drill-last">
          {last === null ? (
            <span className="muted">never</span>
          ) : (
            <>
              <span className={`status-pill status-pill--${DRILL_OUTCOME_TONES[last.outcome]}`}>{last.outcome}</span> <TimeStamp at={last.startedAt} />
              {last.rtoMs !== null && <span className="muted"> · RTO {formatDuration(last.rtoMs)}</span>}
              {last.rpoMs !== null && <span className="muted"> · RPO {formatDuration(last.rpoMs)}</span>}
              {last.error !== null && (
                <span className="tone-bad">
                  {' '}
                  · <code>{last.error.code}</code> {last.error.message}
                </span>
              )}
            </>
          )}
        </dd>
        {lastSuccess !== null && lastSuccess.id !== last?.id && (
          <>
            <dt>Last good drill</dt>
            <dd>
              <TimeStamp at={lastSuccess.startedAt} />
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}
