import { useId, useState } from 'react';
import type { RecoveryTarget } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { SegmentedChoice } from '../../../ui/SegmentedChoice.js';

type Mode = RecoveryTarget['kind'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An ISO time as a datetime-local value (local time, to the millisecond: events are recorded in ms). */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A datetime-local value (local time) as ISO UTC; null when incomplete. */
function fromLocalInput(value: string): string | null {
  if (value === '') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

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

  const position = Number(positionText.replaceAll(',', '').trim());
  const positionValid = /^\d+$/.test(positionText.replaceAll(',', '').trim()) && Number.isSafeInteger(position) && position >= 1;
  const at = fromLocalInput(timeText);
  const applied =
    mode === 'position' ? target.kind === 'position' && positionValid && target.position === position : mode === 'time' ? target.kind === 'time' && at !== null && target.at === at : target.kind === 'latest';

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
        if (mode === 'position' && positionValid) onTarget({ kind: 'position', position });
        if (mode === 'time' && at !== null) onTarget({ kind: 'time', at });
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
            className={`input input--small target-picker__position${positionText !== '' && !positionValid ? ' input--invalid' : ''}`}
            inputMode="numeric"
            aria-label="Position to restore to (the restored store holds events 1 to this)"
            placeholder="e.g. 120000"
            value={positionText}
            onChange={(e) => setPositionText(e.target.value)}
            data-testid="target-position"
          />
          <span className="muted">keeps events 1 – {positionValid ? formatCount(position) : 'N'}</span>
        </>
      )}
      {mode === 'time' && (
        <>
          <input type="datetime-local" step={0.001} className="input input--small target-picker__time" aria-label={`Time to restore to (${zoneName()})`} value={timeText} onChange={(e) => setTimeText(e.target.value)} data-testid="target-time" />
          <span className="muted">{zoneName()} · keeps the events recorded at or before it</span>
        </>
      )}
      {mode !== 'latest' && (
        <button type="submit" className="button button--small" disabled={applied || (mode === 'position' ? !positionValid : at === null)} data-testid="target-apply">
          {applied ? 'Applied' : 'Apply'}
        </button>
      )}
    </form>
  );
}
