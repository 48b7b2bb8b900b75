import type { BackupCatalog, BackupSchedules } from '../../../../shared/api/backupTypes.js';
import { formatBytes, formatCount } from '../../format/numbers.js';
import { formatRelative } from '../../format/time.js';
import { useHead } from '../../live/HeadProvider.js';
import { Metric } from '../../ui/Metric.js';
import { TimeStamp } from '../../ui/TimeStamp.js';
import { useNow } from '../../ui/useNow.js';
import { fileProblems, storeArchives } from './catalog/archiveState.js';
import { KIND_LABELS, OUTCOME_TONES } from './labels.js';
import { formatMinutes, readRpo, RPO_TONES } from './rpo.js';

/** The strip above the tabs: RPO, archives, newest, restorable range, schedules, last run. */
export function BackupsSummary({ catalog, schedules }: { readonly catalog: BackupCatalog; readonly schedules: BackupSchedules | undefined }) {
  const now = useNow();
  const head = useHead();
  const rpo = readRpo(catalog.rpo, now);
  const tone = RPO_TONES[rpo.state];
  const mine = storeArchives(catalog);
  const newest = [...mine].sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt))[0];
  const chains = catalog.folders.flatMap((f) => f.chains);
  const complete = chains.filter((c) => c.complete);
  const restorable = Math.max(0, ...chains.map((c) => c.restorableTo));
  const bytes = mine.reduce((s, e) => s + (e.archiveBytes ?? 0), 0);
  const problems = catalog.folders.reduce((s, f) => s + fileProblems(f).length, 0);
  const enabled = schedules?.schedules.filter((s) => s.enabled) ?? [];
  const next = enabled
    .flatMap((s) => (s.nextRuns[0] === undefined ? [] : [{ schedule: s, run: s.nextRuns[0] }]))
    .sort((a, b) => a.run.at.localeCompare(b.run.at))[0];
  const lastRun = schedules?.schedules
    .flatMap((s) => (s.lastRun === null ? [] : [{ schedule: s, run: s.lastRun }]))
    .sort((a, b) => b.run.id - a.run.id)[0];
  const behind = head === undefined || newest === undefined ? null : head.headPosition - newest.manifest.toPosition;

  return (
    <div className="metrics backups__summary">
      <Metric
        label="RPO"
        testId="backups-rpo"
        state={rpo.state}
        value={
          <span className={`backups__rpo tone-${tone}`}>
            <span className={`dot dot--${tone}`} />
            {rpo.ageMs === null ? (mine.length === 0 ? 'No backups' : 'Unverified') : rpo.short}
          </span>
        }
      >
        <span className={`tone-${tone} backups__rpo-label`}>{rpo.label}</span>
        {catalog.rpo.targetMinutes === null ? ': set one on a schedule' : ` · ${formatMinutes(catalog.rpo.targetMinutes)}`}
      </Metric>
      <Metric label="Archives" value={formatCount(mine.length)} testId="backups-count">
        {formatBytes(bytes)} in {formatCount(catalog.folders.length)} {catalog.folders.length === 1 ? 'folder' : 'folders'}
        {problems > 0 && <span className="tone-bad"> · {formatCount(problems)} unreadable</span>}
      </Metric>
      <Metric label="Newest archive" value={newest === undefined ? '—' : <TimeStamp at={newest.manifest.createdAt} mode="relative" />}>
        {newest === undefined ? (
          'none yet'
        ) : (
          <>
            {KIND_LABELS[newest.manifest.kind]} to #{formatCount(newest.manifest.toPosition)}
            {behind !== null && behind > 0 && <span className="tone-warn"> · head is {formatCount(behind)} ahead</span>}
            {behind === 0 && <span> · at the head</span>}
          </>
        )}
      </Metric>
      <Metric label="Restorable to" value={restorable === 0 ? '—' : `#${formatCount(restorable)}`}>
        {chains.length === 0 ? 'no chain yet' : `${formatCount(complete.length)} of ${formatCount(chains.length)} ${chains.length === 1 ? 'chain' : 'chains'} complete`}
      </Metric>
      <Metric label="Schedules" value={schedules === undefined ? '…' : `${formatCount(enabled.length)} enabled`}>
        {next === undefined ? (schedules === undefined ? '' : 'no run planned') : <span title={next.run.at}>next: {next.schedule.name}, {formatRelative(next.run.at, now)}</span>}
      </Metric>
      <Metric
        label="Last run"
        testId="backups-last-run"
        value={lastRun === undefined ? '—' : <span className={`status-pill status-pill--${OUTCOME_TONES[lastRun.run.outcome]}`}>{lastRun.run.outcome}</span>}
      >
        {lastRun === undefined ? 'no scheduled run yet' : `${lastRun.schedule.name}, ${formatRelative(lastRun.run.endedAt ?? lastRun.run.dueAt, now)}`}
      </Metric>
    </div>
  );
}
