import { WIZARD_STEPS, type StepState, type StepView, type WizardStepId } from './model.js';

const STATE_WORDS: Readonly<Record<StepState, string>> = { done: 'done', current: 'current step', open: 'available', stale: 'out of date: run it again', failed: 'failed', locked: 'not available yet' };

/** The wizard's steps, always in view: where the admin is, what each step holds, and which can be revisited. */
export function StepList({ steps, current, onGo }: { readonly steps: Readonly<Record<WizardStepId, StepView>>; readonly current: WizardStepId; readonly onGo: (step: WizardStepId) => void }) {
  return (
    <nav className="step-list" aria-label="Recovery steps">
      <ol className="step-list__items">
        {WIZARD_STEPS.map((s, i) => {
          const view = steps[s.id];
          const reachable = view.state !== 'locked';
          return (
            <li key={s.id} className={`step-list__item step-list__item--${view.state}${s.id === current ? ' step-list__item--on' : ''}`} data-testid="wizard-step" data-step={s.id} data-state={view.state}>
              <button type="button" className="step-list__button" disabled={!reachable || s.id === current} aria-current={s.id === current ? 'step' : undefined} onClick={() => onGo(s.id)} title={`${s.title}: ${STATE_WORDS[view.state]}`}>
                <span className="step-list__number" aria-hidden="true">
                  {view.state === 'done' && s.id !== current ? '✓' : view.state === 'failed' ? '!' : i + 1}
                </span>
                <span className="step-list__text">
                  <span className="step-list__title">{s.title}</span>
                  {view.summary !== null && <span className="step-list__summary">{view.summary}</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
