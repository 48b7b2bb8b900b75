import type { ReactNode } from 'react';
import type { DrillReport, RecoveryReport } from '../../../../../shared/recovery.js';
import { recoveryHref } from '../../../app/routes.js';
import { formatCount } from '../../../format/numbers.js';
import { formatDuration } from '../../../format/time.js';
import { useNow } from '../../../ui/useNow.js';
import { CopyId } from '../../../ui/CopyId.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { KIND_LABELS } from '../../backups/labels.js';
import { archiveLabel, formatTarget } from '../labels.js';
import { downloadText, reportFileName, reportHtml, reportJson } from './exportReport.js';
import { LeftOutView } from './LeftOutView.js';
import { DataLossView } from './RestoredView.js';
import { StepsChart } from './StepsChart.js';
import { formatShare, stepShares } from './steps.js';
import { restoredSentence } from './summary.js';

const isDrill = (report: RecoveryReport): report is DrillReport => 'rpoMs' in report;

function Metric({ label, value, sub, testId, tone }: { readonly label: string; readonly value: ReactNode; readonly sub?: ReactNode; readonly testId?: string; readonly tone?: 'ok' | 'bad' }) {
  return (
    <div className="metric" data-testid={testId}>
      <div className="metric__label">{label}</div>
      <div className={`metric__value${tone === undefined ? '' : ` tone-${tone}`}`}>{value}</div>
      {sub !== undefined && <div className="metric__sub">{sub}</div>}
    </div>
  );
}

/**
 * The verification report of a restore, a dry run or a drill: what was restored and verified, each step's
 * duration and share of the measured RTO, the data-loss window, where the old store is kept, what was left
 * out; exportable as JSON and as a printable HTML page.
 */
export function RecoveryReportView({ report, storeName }: { readonly report: RecoveryReport; readonly storeName: string }) {
  const now = useNow(60_000);
  const drill = isDrill(report) ? report : null;
  const shares = stepShares(report.steps, report.rtoMs);
  return (
    <div className="recovery-report" data-testid="recovery-report" data-head={report.headPosition} data-rto-ms={report.rtoMs}>
      <div className="recovery-report__head">
        <span className="status-pill status-pill--ok">verified</span>
        <p className="recovery-report__sentence">{restoredSentence(report)}</p>
        <span className="toolbar-spacer" />
        <button type="button" className="button button--small" onClick={() => downloadText(reportFileName(report, storeName, 'json'), reportJson(report), 'application/json')} data-testid="export-json">
          Export JSON
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() => downloadText(reportFileName(report, storeName, 'html'), reportHtml(report, storeName, new Date(now).toISOString()), 'text/html')}
          data-testid="export-html"
        >
          Printable report (HTML)
        </button>
      </div>
      <div className="metrics recovery-report__metrics">
        <Metric label="RTO" value={<span data-testid="report-rto">{formatDuration(report.rtoMs)}</span>} sub={drill?.rtoTargetMs != null ? `target ${formatTarget(drill.rtoTargetMs)}: ${drill.rtoMet === true ? 'met' : 'missed'}` : 'measured: start to verified store'} tone={drill?.rtoMet === false ? 'bad' : undefined} />
        {drill !== null ? (
          <Metric label="RPO" value={formatDuration(drill.rpoMs)} sub={drill.rpoTargetMs !== null ? `target ${formatTarget(drill.rpoTargetMs)}: ${drill.rpoMet === true ? 'met' : 'missed'}` : 'achieved: age of the newest restored event'} tone={drill.rpoMet === false ? 'bad' : undefined} />
        ) : (
          <Metric label="Data loss" value={formatDuration(report.dataLoss.windowMs)} sub="window: newest restored event to the failure" />
        )}
        <Metric label="Head position" value={<span data-testid="report-head">{formatCount(report.headPosition)}</span>} sub={report.headRecordedAt === null ? undefined : <TimeStamp at={report.headRecordedAt} mode="relative" />} />
        <Metric label="Events" value={formatCount(report.events)} sub={`${formatCount(report.streams)} streams · ${formatCount(report.eventTypes.length)} types`} />
        <Metric label="Head hash" value={<CopyId value={report.headHash} head={8} tail={4} label="head hash" />} sub={`chain of ${formatCount(report.verification.checkedEvents)} events verified`} />
        <Metric label="Left out" value={report.leftOut.available ? formatCount(report.leftOut.events) : '—'} sub={report.leftOut.available ? 'events of the store it replaced' : 'not compared'} tone={report.leftOut.available && report.leftOut.events > 0 ? 'bad' : undefined} />
      </div>

      <div className="recovery-report__grid">
        <section className="recovery-report__part">
          <h3 className="recovery-report__title">Steps and their share of the RTO</h3>
          <StepsChart steps={report.steps} rtoMs={report.rtoMs} />
          <table className="problem-table" aria-label="Steps">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col" className="num">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {shares.map((s, i) => (
                <tr key={`${s.name}-${i}`} data-testid="report-step">
                  <td>{s.name}</td>
                  <td className="num">{formatDuration(s.ms)}</td>
                  <td className="num">{formatShare(s.share)}</td>
                </tr>
              ))}
              <tr className="recovery-report__total">
                <td>RTO: start to {report.dryRun ? 'verified store in its scratch folder' : 'verified store in place'}</td>
                <td className="num">{formatDuration(report.rtoMs)}</td>
                <td className="num">100%</td>
              </tr>
            </tbody>
          </table>
        </section>
        <section className="recovery-report__part">
          <h3 className="recovery-report__title">Where things are</h3>
          <dl className="facts">
            <dt>{report.dryRun ? 'Built in' : 'Restored store'}</dt>
            <dd className="mono recovery-report__path">
              {report.destination}
              {report.dryRun && <span className="muted"> (deleted after the check)</span>}
            </dd>
            {report.previousStore !== null && (
              <>
                <dt>Store as it was</dt>
                <dd data-testid="report-previous-store">
                  <span className="mono recovery-report__path">{report.previousStore}</span>
                  <br />
                  <span className="muted">Kept until you discard it on </span>
                  <a href={recoveryHref({ tab: 'set-aside' })}>Set-aside stores</a>
                </dd>
              </>
            )}
            <dt>Target</dt>
            <dd>
              {report.target.kind} → stopped at #{formatCount(report.target.position)}
              {report.target.note !== null && <span className="muted"> · {report.target.note}</span>}
            </dd>
            {report.cutBack !== null && (
              <>
                <dt>Cut back</dt>
                <dd>
                  the full archive, from #{formatCount(report.cutBack.from)} to #{formatCount(report.cutBack.to)}
                </dd>
              </>
            )}
            <dt>Ran</dt>
            <dd>
              <TimeStamp at={report.startedAt} mode="absolute" /> – <TimeStamp at={report.finishedAt} mode="absolute" />
            </dd>
            {/* Reports written before carriedOver existed lack it: `!= null` covers them. */}
            {report.carriedOver != null && (
              <>
                <dt>Settings kept</dt>
                <dd data-testid="report-carried-over">
                  {report.carriedOver.notCarried !== null ? (
                    <span className="tone-warn">nothing: {report.carriedOver.notCarried}</span>
                  ) : report.carriedOver.tables.length === 0 ? (
                    <span className="muted">nothing to keep</span>
                  ) : (
                    report.carriedOver.tables.map((t) => `${t.table} (${formatCount(t.rows)})`).join(', ')
                  )}
                </dd>
              </>
            )}
          </dl>
          <DataLossView window={report.dataLoss} />
          <h3 className="recovery-report__title">Archives used</h3>
          <table className="problem-table" aria-label="Archives used">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Archive</th>
                <th scope="col" className="num">
                  Used up to
                </th>
                <th scope="col" className="num">
                  Verified in
                </th>
              </tr>
            </thead>
            <tbody>
              {report.archives.map((a) => (
                <tr key={a.archive}>
                  <td>
                    <span className={`kind-pill kind-pill--${a.kind}`}>{KIND_LABELS[a.kind]}</span>
                  </td>
                  <td className="mono recovery-report__archive" title={a.archive}>
                    {archiveLabel(a.archive, report.storeId)}
                  </td>
                  <td className="num">{formatCount(a.usedTo)}</td>
                  <td className="num">{formatDuration(a.verifyMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      {report.warnings.length > 0 && (
        <ul className="warning-list">
          {report.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {report.leftOut.available && report.leftOut.events > 0 && (
        <details className="recovery-report__left-out">
          <summary>
            What was left out: {formatCount(report.leftOut.events)} {report.leftOut.events === 1 ? 'event' : 'events'} of {formatCount(report.leftOut.streams)} {report.leftOut.streams === 1 ? 'stream' : 'streams'}
          </summary>
          <LeftOutView leftOut={report.leftOut} />
        </details>
      )}
    </div>
  );
}
