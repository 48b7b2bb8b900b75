import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RecoveryProgress, RecoveryTarget, ValidationReport } from '../../shared/recovery.js';
import { parseTrustedKey, type DecryptionKeyInput, type TrustedKeyInput } from '../backup/index.js';
import { planForStore } from './planRecovery.js';
import { validatePlan } from './validatePlan.js';

export interface ValidateRecoveryRequest {
  readonly sources: readonly string[];
  readonly target: RecoveryTarget;
  readonly storeId?: string;
  /** The store to be replaced: its id picks the archives when it can be read. */
  readonly storeDir?: string;
  readonly keys?: DecryptionKeyInput;
  /** Every archive must be signed by this key. */
  readonly trustedKey?: TrustedKeyInput;
  readonly scratchDir?: string;
  /** Write each archive's verification record beside it, for the catalog (default true). */
  readonly record?: boolean;
}

/**
 * The wizard's validation step: the plan, then every archive of it verified in turn (all of them, so each
 * shows its own result), without restoring anything. Problems are reported, not thrown; a missing key,
 * a missing file or cancellation is thrown.
 */
export async function validateRecovery(
  request: ValidateRecoveryRequest,
  ctx: { readonly onProgress?: (p: RecoveryProgress) => void; readonly isCancelled?: () => boolean } = {},
): Promise<ValidationReport> {
  const started = performance.now();
  ctx.onProgress?.({ phase: 'planning', done: 0, total: null, unit: 'archives' });
  if (request.trustedKey !== undefined) parseTrustedKey(request.trustedKey.publicKeyPem);
  const planned = await planForStore(request);
  const root = resolve(request.scratchDir ?? tmpdir());
  await mkdir(root, { recursive: true });
  const scratch = await mkdtemp(join(root, 'pconsole-validate-'));
  try {
    // A sidecar found wrong on the way makes the plan be made again from the archive's word (validatePlan).
    const { plan, validated } = await validatePlan(planned, request.target, request.keys, {
      keys: request.keys,
      trustedKey: request.trustedKey,
      scratchDir: scratch,
      keepMembers: false,
      record: request.record ?? true,
      stopAtFirstFailure: false,
      onProgress: ctx.onProgress,
      isCancelled: ctx.isCancelled,
    });
    return {
      ok: validated.every((v) => v.ok),
      plan,
      archives: validated.map((v) => ({ archive: v.archive, ok: v.ok, durationMs: v.durationMs, eventsChecked: v.eventsChecked, problems: v.problems, warnings: v.warnings, signature: v.signature })),
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
