import { useMemo } from 'react';
import type { RecoverySources } from '../../../../../shared/api/recoveryContract.js';
import type { RecoveryPlan, RecoveryTarget } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { useHead } from '../../../live/HeadProvider.js';
import { ChainTimeline } from '../../backups/catalog/ChainTimeline.js';
import { EventsAround } from './EventsAround.js';
import { PlanView } from './PlanView.js';
import { TargetPicker } from './TargetPicker.js';

interface TargetStepProps {
  readonly sources: RecoverySources | undefined;
  /** False while the store cannot be opened: its events around the target cannot be shown. */
  readonly storeReadable: boolean;
  readonly target: RecoveryTarget;
  readonly onTarget: (target: RecoveryTarget) => void;
  readonly plan: { readonly data: RecoveryPlan | undefined; readonly error: Error | null; readonly pending: boolean; readonly retry: () => void };
  readonly onNext: () => void;
}

/**
 * Step 2: the chains on a timeline (click a point to choose it), the target by position or time, the plan
 * for it, and the store's events around it with "restore to just before this" on each.
 */
export function TargetStep({ sources, storeReadable, target, onTarget, plan, onNext }: TargetStepProps) {
  const head = useHead();
  const chains = useMemo(() => sources?.chains ?? [], [sources]);
  const used = useMemo(() => (plan.data === undefined ? undefined : new Set(plan.data.links.map((l) => l.archive))), [plan.data]);
  const markerPosition = target.kind === 'position' ? target.position : (plan.data?.position ?? null);
  const aroundTarget = target.kind === 'time' ? { kind: 'time' as const, at: target.at } : markerPosition === null ? null : { kind: 'position' as const, position: markerPosition };
  const pickArchiveEnd = (archive: string) => {
    const end = sources?.entries.find((e) => e.archive === archive)?.manifest.toPosition;
    if (end !== undefined && end > 0) onTarget({ kind: 'position', position: end });
  };

  return (
    <div className="wizard-step" data-testid="step-target">
      <h2 className="wizard-step__title">Which point should the store go back to?</h2>
      <p className="muted wizard-step__lead">
        Click a point on the chains (or focus an archive and press Enter for its end), type a position or a time{storeReadable ? ', or pick an event below' : ''}.
      </p>
      {chains.length > 0 && (
        <ChainTimeline
          chains={chains}
          head={head?.headPosition}
          selected={null}
          onSelect={pickArchiveEnd}
          onPickPosition={(position) => onTarget({ kind: 'position', position })}
          marker={markerPosition === null ? null : { position: markerPosition, label: `target #${formatCount(markerPosition)}` }}
          emphasis={used}
        />
      )}
      <TargetPicker target={target} onTarget={onTarget} suggestedPosition={markerPosition ?? head?.headPosition ?? null} />
      <PlanView plan={plan.data} error={plan.error} pending={plan.pending} onRetry={plan.retry} />
      {storeReadable ? (
        <EventsAround target={aroundTarget} onJustBefore={(position) => onTarget({ kind: 'position', position })} />
      ) : (
        <section className="events-around" aria-label="Events around the target" data-testid="events-around-unavailable">
          <header className="events-around__head">
            <h3 className="events-around__title">Events of this store around the target</h3>
          </header>
          <p className="muted events-around__note">
            Not shown: they are read from the current store, which cannot be opened. Choose the point on the chains above, or by position or time; the dry run then says what the restored store holds.
          </p>
        </section>
      )}
      <div className="wizard-step__actions">
        <button type="button" className="button button--primary" disabled={plan.data === undefined || plan.error !== null} onClick={onNext} data-testid="target-next">
          {plan.data === undefined ? 'Next: validate the archives' : `Next: validate ${formatCount(plan.data.links.length)} ${plan.data.links.length === 1 ? 'archive' : 'archives'}`}
        </button>
      </div>
    </div>
  );
}
