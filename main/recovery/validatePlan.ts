import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecoveryPlan, RecoveryTarget } from '../../shared/recovery.js';
import type { DecryptionKeyInput } from '../backup/index.js';
import { planFrom, type PlannedSources } from './planRecovery.js';
import { replaceWithInside } from './sources.js';
import { validateLinks, type ValidatedLink, type ValidateOptions } from './validateLinks.js';

export interface ValidatedPlan extends PlannedSources {
  readonly validated: ValidatedLink[];
}

/** The plan with what the validation found about the sidecars of its archives among its warnings. */
function withLinkWarnings(plan: RecoveryPlan, validated: readonly ValidatedLink[]): RecoveryPlan {
  const extra = [...new Set(validated.flatMap((v) => v.warnings))].filter((w) => !plan.warnings.some((p) => p === w));
  return extra.length === 0 ? plan : { ...plan, warnings: [...plan.warnings, ...extra] };
}

/**
 * Validates the archives of a plan (validateLinks) and keeps the plan honest (issue 9 class 3): a plan is
 * made from sidecars, and when an archive's own manifest.json says something else about the facts the plan
 * went by (positions, hashes, kind, time), its sidecar is set aside, the plan is made again from what the
 * archive says, and the new plan is validated — so a wrong sidecar can neither shorten a restore nor make
 * it read the wrong archives; the disagreement is among the plan's warnings. Each round replaces one
 * sidecar's word for good, so this ends. A target the true manifests cannot reach is refused as planFrom refuses it.
 */
export async function validatePlan(
  start: PlannedSources,
  target: RecoveryTarget,
  keys: DecryptionKeyInput | undefined,
  options: ValidateOptions,
): Promise<ValidatedPlan> {
  let { plan, sources } = start;
  for (;;) {
    const validated = await validateLinks(plan.links, 0, undefined, options, plan.storeId);
    const moved = validated.find((v) => v.inside !== null);
    if (moved === undefined) return { plan: withLinkWarnings(plan, validated), sources, validated };
    sources = replaceWithInside(sources, moved.archive, moved.inside!);
    // The kept members were filed by their index in the old plan.
    if (options.keepMembers) await rm(join(options.scratchDir, 'members'), { recursive: true, force: true });
    ({ plan, sources } = await planFrom(sources, plan.storeId, target, { keys }));
  }
}
