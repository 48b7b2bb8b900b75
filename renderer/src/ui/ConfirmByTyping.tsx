import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import './ConfirmByTyping.css';

/**
 * The confirmation of a destructive action (UI.md): what will change, then the admin types a name (the
 * store's, the folder's, the schedule's) before the button arms. Esc or Cancel backs out.
 */
export function ConfirmByTyping({
  title,
  expected,
  what,
  children,
  confirmLabel,
  busy = false,
  onConfirm,
  onCancel,
  testId,
}: {
  readonly title: string;
  /** What has to be typed, exactly. */
  readonly expected: string;
  /** What it is, for the prompt: "the folder name", "the schedule's name". */
  readonly what: string;
  /** What will change. */
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly busy?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly testId?: string;
}) {
  const [typed, setTyped] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const armed = typed === expected && !busy;
  useEffect(() => input.current?.focus(), []);
  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        onCancel();
      }}
    >
      <h3 className="confirm__title" id={`${id}-title`}>
        {title}
      </h3>
      <div className="confirm__what">{children}</div>
      <form
        className="confirm__form"
        onSubmit={(e) => {
          e.preventDefault();
          if (armed) onConfirm();
        }}
      >
        <label className="confirm__label" htmlFor={`${id}-input`}>
          Type {what} <code className="confirm__expected">{expected}</code> to confirm
        </label>
        <input id={`${id}-input`} ref={input} className="input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
        <div className="confirm__actions">
          <button type="submit" className="button button--danger" disabled={!armed}>
            {confirmLabel}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
