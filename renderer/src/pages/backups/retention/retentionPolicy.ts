import type { CatalogEntry, RetentionDecision, RetentionPolicy, RetentionReason } from '../../../../../shared/backup.js';
import type { PlacedIssues } from '../../../api/inputIssues.js';
import { numberOrNull, numberText } from '../../../ui/formText.js';

/** The rules of a retention policy, as a form's fields show them: key, label, unit. */
export const RETENTION_RULES = [
  ['keepLast', 'Keep last', 'archives'],
  ['daily', 'Daily', 'days'],
  ['weekly', 'Weekly', 'weeks'],
  ['monthly', 'Monthly', 'months'],
] as const;
export type RetentionRule = (typeof RETENTION_RULES)[number][0];

/** A retention policy as typed: one text per rule, empty for a rule not used. */
export type RetentionText = Readonly<Record<RetentionRule, string>>;

export function retentionTextOf(policy: RetentionPolicy | null | undefined): RetentionText {
  return { keepLast: numberText(policy?.keepLast), daily: numberText(policy?.daily), weekly: numberText(policy?.weekly), monthly: numberText(policy?.monthly) };
}

/** The policy typed; null when no rule is set (nothing is pruned). A rule that is not a number stays NaN, for the check to name. */
export function retentionOf(text: RetentionText): RetentionPolicy | null {
  const policy: { -readonly [K in RetentionRule]?: number } = {};
  for (const [rule] of RETENTION_RULES) {
    const value = numberOrNull(text[rule]);
    if (value !== null) policy[rule] = value;
  }
  return Object.keys(policy).length === 0 ? null : policy;
}

/** The fields of a policy at `at` in a form's input, for placing issues: the policy as a whole and each rule. */
export function retentionIssueFields(at: string): string[] {
  return [at, ...RETENTION_RULES.map(([rule]) => `${at}.${rule}`)];
}

/** What was refused of the policy at `at`: the policy as a whole, or its first refused rule, named. */
export function retentionIssue(issues: PlacedIssues, at: string): string | undefined {
  const whole = issues.at(at);
  if (whole !== undefined) return whole;
  for (const [rule, label] of RETENTION_RULES) {
    const message = issues.at(`${at}.${rule}`);
    if (message !== undefined) return `${label}: ${message}`;
  }
  return undefined;
}

const REASONS: Readonly<Record<RetentionReason, string>> = {
  newest: 'the newest archive (always kept)',
  last: 'among the newest N',
  daily: 'newest of its day',
  weekly: 'newest of its week',
  monthly: 'newest of its month',
  'needed-by-chain': 'a kept archive’s restore chain needs it',
};

/** One archive of a retention plan: kept or pruned, and why. */
export interface RetentionRow {
  readonly entry: CatalogEntry;
  readonly keep: boolean;
  readonly why: string;
}

/** The archives of a folder as a plan decides them, with the reasons main gave (or the rule, when it gave none). */
export function retentionRows(plan: { readonly kept: readonly string[]; readonly decisions: readonly RetentionDecision[] }, entries: readonly CatalogEntry[]): RetentionRow[] {
  const kept = new Set(plan.kept);
  const reasons = new Map(plan.decisions.map((d) => [d.archive, d.reasons]));
  return entries.map((entry) => {
    const keep = kept.has(entry.archive);
    const given = reasons.get(entry.archive) ?? [];
    const why =
      given.length > 0
        ? given.map((r) => REASONS[r]).join('; ')
        : keep
          ? 'kept by the policy or needed by a kept archive’s restore chain'
          : 'not kept by the policy, and no kept archive’s restore chain needs it';
    return { entry, keep, why };
  });
}
