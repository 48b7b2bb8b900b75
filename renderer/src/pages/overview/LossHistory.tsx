import type { LossRecord } from '../../../../shared/store.js';
import { formatCount } from '../../format/numbers.js';
import { Panel } from '../../ui/Panel.js';
import { TimeStamp } from '../../ui/TimeStamp.js';

/** Which positions a loss concerns, in words. */
function positionsOf(loss: LossRecord): string {
  if (loss.code === 'HEAD_MISMATCH') return `the event at #${formatCount(loss.position)} is not the one recorded`;
  return loss.position === loss.recordedPosition ? `#${formatCount(loss.position)} missing` : `#${formatCount(loss.position)}–${formatCount(loss.recordedPosition)} missing`;
}

/**
 * Every loss of events recorded in the store (its integrity_losses), newest first: what went missing, what
 * recorded the later head, when it was found, and who acknowledged it when (an open one refuses writes).
 */
export function LossHistory({ losses, acknowledgedNow }: { readonly losses: readonly LossRecord[]; readonly acknowledgedNow: string | null }) {
  const newestFirst = [...losses].reverse();
  return (
    <Panel title="Loss history" testId="loss-history">
      {acknowledgedNow !== null && (
        <p className="loss-history__note" data-testid="loss-acknowledged">
          {acknowledgedNow}
        </p>
      )}
      <ul className="loss-history">
        {newestFirst.map((l) => (
          <li key={l.id} className="loss-history__item" data-testid="loss-record" data-state={l.acknowledgedAt === null ? 'open' : 'acknowledged'}>
            <div className="loss-history__head">
              <code className="problem-list__code">{l.code}</code>
              <span className="mono">{positionsOf(l)}</span>
            </div>
            <div className="loss-history__line muted">
              {l.source} recorded #{formatCount(l.recordedPosition)}, the log had #{formatCount(l.logPosition)} · found <TimeStamp at={l.detectedAt} mode="relative" />
            </div>
            {l.acknowledgedAt === null ? (
              <div className="loss-history__line tone-bad">
                <span className="dot dot--bad" /> Open: writes are refused
              </div>
            ) : (
              <div className="loss-history__line">
                <span className="dot dot--neutral" /> Acknowledged by <strong>{l.acknowledgedBy ?? 'unknown'}</strong> <TimeStamp at={l.acknowledgedAt} />
              </div>
            )}
          </li>
        ))}
      </ul>
    </Panel>
  );
}
