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
