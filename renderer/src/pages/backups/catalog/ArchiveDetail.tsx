import { useEffect, useRef } from 'react';
import type { BackupChain, CatalogEntry } from '../../../../../shared/backup.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { formatDuration } from '../../../format/time.js';
import { CopyId } from '../../../ui/CopyId.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { ENCRYPTION_LABELS, KIND_LABELS } from '../labels.js';
import { archiveState, positionRange, restoreSet, STATE_LABELS, STATE_TONES } from './archiveState.js';
import { ExportControl } from './ExportControl.js';
import { VerifyArchive } from './VerifyArchive.js';

/** One archive: its manifest, members, verification, and the verify and export actions. Esc closes it. */
export function ArchiveDetail({
  entry,
  chain,
  durationMs,
  verifyJobId,
  onVerifyStarted,
  onClose,
}: {
  readonly entry: CatalogEntry;
  readonly chain: BackupChain | undefined;
  readonly durationMs: number | undefined;
  readonly verifyJobId: string | undefined;
  readonly onVerifyStarted: (jobId: string) => void;
  readonly onClose: () => void;
}) {
  const m = entry.manifest;
  const state = archiveState(entry);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key !== 'Escape' || e.defaultPrevented || (target !== null && target.closest('[role="alertdialog"]') !== null)) return;
      onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const link = chain?.links.findIndex((l) => l.archive === entry.archive) ?? -1;
  const needed = chain === undefined ? [entry.archive] : restoreSet(chain, entry.archive);

  return (
    <aside className="archive-detail panel" aria-label={`Archive ${entry.name}`} data-testid="archive-detail" data-archive={entry.name} ref={panel}>
      <header className="archive-detail__head">
        <div className="archive-detail__kicker">
          <span className={`kind-pill kind-pill--${m.kind}`}>{KIND_LABELS[m.kind]}</span>
          <span className={`status-pill status-pill--${STATE_TONES[state]}`} data-testid="detail-state" data-state={state}>
            {STATE_LABELS[state]}
          </span>
          <span className="toolbar-spacer" />
          <button type="button" className="button button--small button--quiet" onClick={onClose} aria-label="Close archive details">
            Close <kbd>Esc</kbd>
          </button>
        </div>
        <h2 className="archive-detail__title mono">{entry.name}</h2>
      </header>
      <div className="archive-detail__body">
        <dl className="facts">
          <dt>Positions</dt>
          <dd className="mono">{positionRange(entry)}</dd>
          <dt>Events</dt>
          <dd>{formatCount(m.eventCount)}</dd>
          <dt>Size</dt>
          <dd title={entry.archiveBytes === null ? undefined : `${formatCount(entry.archiveBytes)} bytes`}>{entry.archiveBytes === null ? <span className="tone-bad">the archive file is missing</span> : formatBytes(entry.archiveBytes)}</dd>
          <dt>Created</dt>
          <dd>
            <TimeStamp at={m.createdAt} />
          </dd>
          <dt>Duration</dt>
          <dd>{durationMs === undefined ? <span className="muted">not recorded</span> : `${formatDuration(durationMs)} (run, with verification)`}</dd>
          <dt>Encryption</dt>
          <dd>{ENCRYPTION_LABELS[m.encryption]}</dd>
          <dt>Chain</dt>
          <dd>
            {chain === undefined || link < 0
              ? 'not in a chain of this store'
              : `link ${formatCount(link + 1)} of ${formatCount(chain.links.length)}${chain.complete ? '' : ' (the chain is incomplete)'}`}
          </dd>
          <dt>From hash</dt>
          <dd>
            <CopyId value={m.fromHash} label="from hash" />
          </dd>
          <dt>To hash</dt>
          <dd>
            <CopyId value={m.toHash} label="to hash" />
          </dd>
          <dt>Path</dt>
          <dd>
            <CopyId value={entry.archive} full label="archive path" />
          </dd>
          <dt>Written by</dt>
          <dd>pconsole {m.toolVersion}, format v{m.formatVersion}</dd>
        </dl>

        <h3 className="archive-detail__section">Members</h3>
        <table className="members-table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col" className="num">
                Bytes
              </th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {m.members.map((member) => (
              <tr key={member.name}>
                <td className="mono">{member.name}</td>
                <td className="num" title={`${formatCount(member.bytes)} bytes`}>
                  {formatBytes(member.bytes)}
                </td>
                <td>
                  <CopyId value={member.sha256} label={`${member.name} SHA-256`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>

        <h3 className="archive-detail__section">Verification</h3>
        {entry.verification === null ? (
          <p className="muted">Never verified. Only a verified archive counts for the RPO.</p>
        ) : (
          <p className={`tone-${STATE_TONES[state]}`} data-testid="detail-verification">
            {entry.verification.ok ? 'Passed' : `Failed with ${formatCount(entry.verification.problems)} ${entry.verification.problems === 1 ? 'problem' : 'problems'}`}{' '}
            <TimeStamp at={entry.verification.verifiedAt} mode="relative" />
            {entry.verification.stale && ': the file changed after that check, so it no longer holds'}
          </p>
        )}
        {entry.archiveBytes !== null && <VerifyArchive key={entry.archive} entry={entry} jobId={verifyJobId} onStarted={onVerifyStarted} />}

        <h3 className="archive-detail__section">Export</h3>
        <div className="archive-detail__exports">
          <ExportControl archives={[entry.archive]} noun="this archive" what={entry.name} small />
          {needed.length > 1 && <ExportControl archives={needed} noun={`its restore chain (${formatCount(needed.length)} archives)`} what={`the ${formatCount(needed.length)} archives a restore to #${formatCount(m.toPosition)} needs`} small />}
        </div>
        <p className="muted archive-detail__note">
          The sidecar <span className="mono">{entry.name}.manifest.json</span> lists the archive without its key; restoring by hand needs only <code>age</code>, <code>tar</code> and <code>sqlite3</code>.
        </p>
      </div>
    </aside>
  );
}
