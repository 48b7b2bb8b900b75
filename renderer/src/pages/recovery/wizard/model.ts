import { recoveryTargetSchema, type RecoveryTarget } from '../../../../../shared/recovery.js';
import { checkWith } from '../../../api/inputIssues.js';
import { numberOrNull } from '../../../ui/formText.js';
import { isAbsolutePath } from '../../backups/labels.js';

/** The wizard's steps, in order (UI.md: the step list is shown at all times). */
export const WIZARD_STEPS = [
  { id: 'source', title: 'Source' },
  { id: 'target', title: 'Target' },
  { id: 'validate', title: 'Validation' },
  { id: 'dry-run', title: 'Dry run' },
  { id: 'confirm', title: 'Confirm' },
  { id: 'restore', title: 'Restore' },
  { id: 'report', title: 'Report' },
] as const;
export type WizardStepId = (typeof WIZARD_STEPS)[number]['id'];

/**
 * How a step stands: `done` (its result holds for the current choices), `current` (on screen), `open`
 * (reachable), `stale` (it ran for other choices: run it again), `failed`, `locked` (not reachable yet, or
 * no longer: a restore has started).
 */
export type StepState = 'done' | 'current' | 'open' | 'stale' | 'failed' | 'locked';

export interface StepView {
  readonly state: StepState;
  /** What the step holds now, in a few words ("catalog · 3 archives", "position 1,204"). */
  readonly summary: string | null;
}

/** Where the archives come from: the store's catalog, or paths the admin types (serve mode has no file dialog). */
export type SourceChoice = { readonly kind: 'catalog' } | { readonly kind: 'paths'; readonly text: string };

/** The typed paths, one a line (blank lines ignored), and those that are not absolute. */
export function parsePaths(text: string): { readonly paths: readonly string[]; readonly invalid: readonly string[] } {
  const paths = [...new Set(text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== ''))];
  return { paths, invalid: paths.filter((p) => !isAbsolutePath(p)) };
}

/** The `sources` of an API call: absent for the catalog; null when the typed paths cannot be used yet. */
export function sourcesOf(choice: SourceChoice): readonly string[] | undefined | null {
  if (choice.kind === 'catalog') return undefined;
  const { paths, invalid } = parsePaths(choice.text);
  return paths.length === 0 || invalid.length > 0 ? null : paths;
}

/** A job the wizard started, and the choices (source, target, key) it ran for. */
export interface WizardRun {
  readonly jobId: string;
  readonly request: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An ISO time as a datetime-local value (local time, to the millisecond: events are recorded in ms). */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A datetime-local value (local time) as ISO UTC; null when incomplete. */
export function fromLocalInput(value: string): string | null {
  if (value === '') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * The target typed in the picker, checked as the contract checks a target (recoveryTargetSchema): the
 * target, or why the text cannot be one (nothing to say while the field is empty or the time incomplete).
 */
export function typedTarget(mode: RecoveryTarget['kind'], positionText: string, timeText: string): { readonly target: RecoveryTarget | null; readonly issue: string | null } {
  let candidate: RecoveryTarget | null = null;
  if (mode === 'latest') candidate = { kind: 'latest' };
  if (mode === 'position' && positionText.trim() !== '') candidate = { kind: 'position', position: numberOrNull(positionText.replaceAll(',', '')) ?? Number.NaN };
  if (mode === 'time') {
    const at = fromLocalInput(timeText);
    if (at !== null) candidate = { kind: 'time', at };
  }
  if (candidate === null) return { target: null, issue: null };
  const issue = checkWith(recoveryTargetSchema, candidate)[0]?.message ?? null;
  return issue === null ? { target: candidate, issue: null } : { target: null, issue };
}
