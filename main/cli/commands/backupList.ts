import type { Command } from '../command.js';
import { absolute, withConsole } from '../console.js';
import { formatBytes, formatNumber } from '../output.js';

export const backupListCommand: Command = {
  name: 'backup list',
  usage: 'backup list <dir>',
  summary: 'list the archives of a backup folder from their sidecars (no key needed), with chains, gaps and verified state',
  options: {},
  positionals: { min: 1, max: 1, names: '<dir>' },
  async run(args, { out }) {
    const dir = absolute(args.positionals[0]!);
    const catalog = await withConsole({ storePath: dir, openStore: false }, (c) => c.call('backup.list', { dir }));
    if (args.json) {
      await out.json({
        dir: catalog.dir,
        archives: catalog.entries.map((e) => ({
          archive: e.archive,
          manifest: e.manifest,
          verified: e.verified,
          verification: e.verification,
          sidecar: e.sidecar,
          archiveBytes: e.archiveBytes,
          sidecarProblem: e.sidecarProblem ?? null,
          signingKeyId: e.manifest.signingKeyId ?? null,
        })),
        chains: catalog.chains.map((c) => ({
          storeId: c.storeId,
          complete: c.complete,
          restorableTo: c.restorableTo,
          toPosition: c.toPosition,
          archives: c.links.map((l) => l.archive),
          gaps: c.gaps,
        })),
        problems: catalog.problems,
      });
      return 0;
    }
    if (catalog.entries.length === 0) await out.write(`no archives in ${catalog.dir}\n`);
    for (const e of catalog.entries) {
      const m = e.manifest;
      const state = e.verification === null ? 'not verified' : e.verification.stale ? 'changed since verified' : e.verification.ok ? `verified ${e.verification.verifiedAt}` : 'FAILED verification';
      const signed = m.signingKeyId === undefined ? 'unsigned' : e.verification?.signature === 'trusted' ? `signed by the trusted key ${m.signingKeyId.slice(0, 16)}…` : `signed by key ${m.signingKeyId.slice(0, 16)}…`;
      await out.write(
        `${e.name}\n  ${m.kind.padEnd(11)} ${formatNumber(m.fromPosition)}–${formatNumber(m.toPosition)}  ${formatNumber(m.eventCount)} events  ` +
          `${e.archiveBytes === null ? 'ARCHIVE MISSING' : formatBytes(e.archiveBytes)}  ${m.encryption}  ${signed}  ${state}\n` +
          (e.sidecarProblem == null ? '' : `  warning: ${e.sidecarProblem}\n`),
      );
    }
    for (const c of catalog.chains) {
      await out.write(
        `chain of ${c.storeId}: ${c.links.length} archive(s), ${c.complete ? 'complete' : 'INCOMPLETE'}, restorable to ${formatNumber(c.restorableTo)}\n` +
          c.gaps.map((g) => `  gap: ${g.message}\n`).join(''),
      );
    }
    for (const p of catalog.problems) process.stderr.write(`warning ${p.code}: ${p.path}: ${p.message}\n`);
    return 0;
  },
};
