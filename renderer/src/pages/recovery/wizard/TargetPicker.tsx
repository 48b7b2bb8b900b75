import { useId, useState } from 'react';
import type { RecoveryTarget } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { SegmentedChoice } from '../../../ui/SegmentedChoice.js';
import { toLocalInput, typedTarget } from './model.js';

type Mode = RecoveryTarget['kind'];

function zoneName(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return 'local time';
  }
}

/**
 * The target by kind: the latest archive, a position typed, or a time typed (local time, to the
 * millisecond: the restore keeps the events recorded at or before it).
 */
export function TargetPicker({ target, onTarget, suggestedPosition }: { readonly target: RecoveryTarget; readonly onTarget: (target: RecoveryTarget) => void; readonly suggestedPosition: number | null }) {
  const id = useId();
  const [mode, setMode] = useState<Mode>(target.kind);
  const [positionText, setPositionText] = useState(target.kind === 'position' ? String(target.position) : suggestedPosition === null ? '' : String(suggestedPosition));
  const [timeText, setTimeText] = useState(target.kind === 'time' ? toLocalInput(target.at) : '');
  // The target can also change from outside (the timeline, the events list): the fields follow it.
  const [seen, setSeen] = useState(target);
  if (seen !== target) {
    setSeen(target);
    setMode(target.kind);
    if (target.kind === 'position') setPositionText(String(target.position));
    if (target.kind === 'time') setTimeText(toLocalInput(target.at));
  }

  const typed = typedTarget(mode, positionText, timeText);
  const applied = JSON.stringify(typed.target) === JSON.stringify(target);

  const choose = (m: Mode) => {
    setMode(m);
    if (m === 'latest') onTarget({ kind: 'latest' });
    if (m === 'position' && positionText === '' && suggestedPosition !== null) setPositionText(String(suggestedPosition));
  };

  return (
    <form
      className="target-picker"
      onSubmit={(e) => {
        e.preventDefault();
        if (typed.target !== null) onTarget(typed.target);
      }}
      data-testid="target-picker"
    >
      <span className="field__label" id={`${id}-mode`}>
        Restore to
      </span>
      <SegmentedChoice
        options={[
          ['latest', 'Latest'],
          ['position', 'Position'],
          ['time', 'Time'],
        ]}
        value={mode}
        onChange={choose}
        labelledBy={`${id}-mode`}
        testId={(m) => `target-mode-${m}`}
      />
      {mode === 'position' && (
        <>
          <input
            aria-invalid={typed.issue !== null}
            className={`input input--small target-picker__position${typed.issue === null ? '' : ' input--invalid'}`}
            inputMode="numeric"
            aria-label="Position to restore to (the restored store holds events 1 to this)"
            placeholder="e.g. 120000"
            value={positionText}
            onChange={(e) => setPositionText(e.target.value)}
            data-testid="target-position"
          />
          {typed.issue === null ? <span className="muted">keeps events 1 – {typed.target?.kind === 'position' ? formatCount(typed.target.position) : 'N'}</span> : <span className="field__error">{typed.issue}</span>}
        </>
      )}
      {mode === 'time' && (
        <>
          <input type="datetime-local" step={0.001} className="input input--small target-picker__time" aria-label={`Time to restore to (${zoneName()})`} value={timeText} onChange={(e) => setTimeText(e.target.value)} data-testid="target-time" />
          <span className="muted">{zoneName()} · keeps the events recorded at or before it</span>
        </>
      )}
      {mode !== 'latest' && (
        <button type="submit" className="button button--small" disabled={applied || typed.target === null} data-testid="target-apply">
          {applied ? 'Applied' : 'Apply'}
        </button>
      )}
    </form>
  );
}
