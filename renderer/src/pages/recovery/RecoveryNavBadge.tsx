import { useApiQuery } from '../../api/hooks.js';

/** The Recovery entry's badge: the last drill failed, is overdue, missed a target, or none has run under the policy. */
export function RecoveryNavBadge() {
  const status = useApiQuery('recovery.drillStatus', {}, { refetchInterval: 60_000 });
  const warning = status.data?.warning ?? null;
  if (warning === null) return null;
  return (
    <span className={`nav__badge nav__badge--${warning.severity === 'error' ? 'bad' : 'warn'}`} title={warning.message} data-testid="nav-badge-recovery" data-code={warning.code}>
      !
    </span>
  );
}
