import type { JobInfo } from '../../../shared/jobs.js';
import { formatBytes, formatCount, formatRate, percent } from '../format/numbers.js';
import { formatDuration } from '../format/time.js';
import { ProgressBar } from '../ui/ProgressBar.js';
import { useJobs } from './JobsProvider.js';

/** A job's bar with counts, rate and ETA: "42,000 / 100,000 events · 42% · 8,120 events/s · about 7 s left". */
export function JobProgressView({ job }: { readonly job: JobInfo }) {
  const { rates } = useJobs();
  const rate = rates.get(job.id) ?? null;
  const progress = job.progress;
  const unit = progress?.unit ?? 'steps';
  const running = job.state === 'running';
  const done = progress?.done ?? 0;
  const total = progress?.total ?? null;
  const bar = running ? total : total ?? Math.max(done, 1);
  const barDone = running ? done : job.state === 'succeeded' ? (bar ?? done) : done;
  // Byte counts read as sizes ("12.4 MB / 48.0 MB", "31.2 MB/s"), every other unit as a count.
  const amount = (n: number) => (unit === 'bytes' ? formatBytes(n) : formatCount(n));
  // The unit reads after the last number shown ("1 step", "3 / 10 steps"); units are given in the plural.
  const last = total ?? done;
  const unitLabel = unit === 'bytes' ? '' : ` ${last === 1 && unit.endsWith('s') ? unit.slice(0, -1) : unit}`;
  // A finished job keeps its average rate: how fast an import or a restore went is worth knowing afterwards.
  const elapsedMs = job.endedAt === null ? 0 : Date.parse(job.endedAt) - Date.parse(job.startedAt);
  const averagePerSecond = !running && progress !== null && done > 0 && elapsedMs >= 500 ? (done * 1000) / elapsedMs : null;
  return (
    <div className="job-progress" data-testid="job-progress" data-state={job.state}>
      <ProgressBar done={barDone} total={bar} label={job.label} />
      <div className="job-progress__meta">
        {!running ? (
          <span className="job-progress__counts">
            {job.state === 'succeeded' ? 'Finished' : job.state === 'cancelled' ? 'Cancelled' : 'Failed'}
            {job.endedAt !== null && ` in ${formatDuration(Date.parse(job.endedAt) - Date.parse(job.startedAt))}`}
            {progress !== null && job.state !== 'succeeded' && ` at ${amount(done)}${total === null ? '' : ` / ${amount(total)}`}${unitLabel}`}
            {job.state === 'succeeded' && progress !== null && done > 0 && ` · ${amount(done)}${unitLabel}`}
          </span>
        ) : progress === null ? (
          <span>Starting…</span>
        ) : (
          <span className="job-progress__counts">
            {progress.phase !== '' && <span className="job-progress__phase">{progress.phase}</span>}
            {amount(done)}
            {total !== null && ` / ${amount(total)}`}
            {unitLabel}
            {total !== null && ` · ${Math.floor(percent(done, total))}%`}
          </span>
        )}
        {running && rate !== null && <span className="job-progress__rate">{unit === 'bytes' ? `${formatBytes(rate.perSecond)}/s` : formatRate(rate.perSecond, unit)}</span>}
        {/* Beside the counts, as while it ran (inside them it read "1 steps0.4 steps/s"). */}
        {job.state === 'succeeded' && averagePerSecond !== null && <span className="job-progress__rate">{unit === 'bytes' ? `${formatBytes(averagePerSecond)}/s` : formatRate(averagePerSecond, unit)}</span>}
        {running && rate?.etaMs != null && <span className="job-progress__eta">about {formatDuration(rate.etaMs)} left</span>}
      </div>
    </div>
  );
}
