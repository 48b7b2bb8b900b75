import { stringOption, type Command } from '../command.js';
import { absolute, withConsole } from '../console.js';
import { formatNumber } from '../output.js';
import type { ArchiveProblem, SignatureState } from '../../../shared/backup.js';
import { keysFromArgs, trustKeyFromArgs } from './backupShared.js';

function signatureText(state: SignatureState, keyId: string | null): string {
  if (state === 'trusted') return `signed by the trusted key ${keyId}`;
  if (state === 'unchecked') return `signed by key ${keyId} (not checked: give --trust-key with its public key to check it)`;
  return state === 'unsigned' ? 'not signed' : `signature: ${state}`;
}

function warningLines(warnings: readonly ArchiveProblem[]): string {
  return warnings.map((w) => `  warning${w.member === null ? '' : ` [${w.member}]`}: ${w.message}\n`).join('');
}

export const backupVerifyCommand: Command = {
  name: 'backup verify',
  usage: 'backup verify <archive> [--passphrase-file <f> | --identity <f>] [--trust-key <f>] [--scratch <dir>]',
  summary:
    'check an archive: checksums, decryption, signature (--trust-key: it must be signed by that public key), manifest, test open of events.db, hash chain, continuity (exit 1 on a problem)',
  options: { 'passphrase-file': { type: 'string' }, identity: { type: 'string' }, scratch: { type: 'string' }, 'trust-key': { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<archive>' },
  async run(args, { out }) {
    const archive = absolute(args.positionals[0]!);
    const keys = keysFromArgs(args);
    const scratch = stringOption(args, 'scratch');
    const result = await withConsole({ storePath: archive, openStore: false }, (c) =>
      c.call('backup.verify', { archive, keys, scratchDir: scratch === undefined ? undefined : absolute(scratch), trustKeyFile: trustKeyFromArgs(args) }, 'verify'),
    );
    if (args.json) {
      await out.json({
        ok: result.ok,
        archive: result.archive,
        problems: result.problems,
        warnings: result.warnings,
        signature: result.signature,
        signingKeyId: result.signingKeyId,
        trustedKeyId: result.trustedKeyId,
        manifest: result.manifest,
        eventsChecked: result.eventsChecked,
        continuity: result.continuity,
        previousArchive: result.previousArchive,
        durationMs: result.durationMs,
      });
    } else if (result.ok) {
      await out.write(
        `ok: ${result.archive}\n  ${formatNumber(result.eventsChecked)} events checked, checksums, manifest and hash chain intact` +
          (result.continuity === 'ok' ? `; continues ${result.previousArchive}` : result.continuity === 'unknown' ? '; the archive before it is not in this folder' : '') +
          '\n' +
          `  ${signatureText(result.signature, result.signingKeyId)}\n` +
          warningLines(result.warnings),
      );
    } else {
      await out.write(`FAILED: ${result.archive}\n` + result.problems.map((p) => `  ${p.code}${p.member === null ? '' : ` [${p.member}]`}: ${p.message}`).join('\n') + '\n' + warningLines(result.warnings));
    }
    return result.ok ? 0 : 1;
  },
};
