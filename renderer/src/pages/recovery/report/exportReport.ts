import type { DrillReport, RecoveryReport } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { formatDuration, formatUtc } from '../../../format/time.js';
import { formatTarget, LOSS_REFERENCE_LABELS } from '../labels.js';
import { formatShare, stepShares } from './steps.js';
import { restoredSentence } from './summary.js';

/**
 * A report as files the admin keeps: the JSON as the API returned it (the `restore --json` shape), and a
 * self-contained printable HTML page (no script, no external resource; every string escaped).
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const isDrill = (report: RecoveryReport): report is DrillReport => 'rpoMs' in report;

/** "recovery-report-orders-20260501T140311Z.json" (a drill: "drill-report-…"). */
export function reportFileName(report: RecoveryReport, storeName: string, extension: 'json' | 'html'): string {
  const stamp = report.finishedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const safeName = storeName.replace(/[^0-9A-Za-z._-]+/g, '_');
  return `${isDrill(report) ? 'drill' : report.dryRun ? 'dry-run' : 'recovery'}-report-${safeName}-${stamp}.${extension}`;
}

export function reportJson(report: RecoveryReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function row(label: string, value: string): string {
  return `<tr><th scope="row">${escapeHtml(label)}</th><td>${value}</td></tr>`;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set()): string {
  const head = headers.map((h, i) => `<th scope="col"${numeric.has(i) ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td${numeric.has(i) ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const PRINT_CSS = `
*{box-sizing:border-box}
body{margin:24px auto;max-width:960px;padding:0 16px;font:13px/1.45 -apple-system,'Segoe UI',Roboto,'Liberation Sans',Arial,sans-serif;color:#1c2128;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:22px 0 8px;padding-bottom:4px;border-bottom:1px solid #c5ccd6}
.lead{font-size:14px;margin:8px 0 14px}.muted{color:#5d6876}.ok{color:#1a7f37;font-weight:600}.bad{color:#c8222c;font-weight:600}
.mono,code{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
table{width:100%;border-collapse:collapse;margin:6px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #dde1e7;vertical-align:top}
thead th{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#5d6876;border-bottom-color:#c5ccd6}
tbody th{width:210px;color:#5d6876;font-weight:500}.num{text-align:right;font-variant-numeric:tabular-nums}
.metrics{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin:12px 0}.metric{border:1px solid #dde1e7;border-radius:6px;padding:8px 10px}
.metric b{display:block;font-size:18px}.metric span{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#5d6876}
.bar{height:10px;background:#2b63d9;border-radius:2px;min-width:2px}
footer{margin-top:28px;font-size:11px;color:#5d6876}
@media print{body{margin:0;max-width:none}@page{margin:14mm}h2{break-after:avoid}tr{break-inside:avoid}.metrics{grid-template-columns:repeat(4,1fr)}}
`;

/** The printable report: the same facts as the console's report view, for a change record or an audit. */
export function reportHtml(report: RecoveryReport, storeName: string, generatedAt: string): string {
  const e = escapeHtml;
  const drill = isDrill(report) ? report : null;
  const kind = drill !== null ? 'Recovery drill' : report.dryRun ? 'Recovery dry run' : 'Recovery';
  const title = `${kind} report — ${storeName} — ${formatUtc(report.finishedAt)}`;
  const metrics: Array<readonly [string, string]> = [
    ['RTO (measured)', formatDuration(report.rtoMs)],
    ['Data-loss window', formatDuration(report.dataLoss.windowMs)],
    ['Events restored', formatCount(report.events)],
    ['Head position', formatCount(report.headPosition)],
  ];
  if (drill !== null) metrics.push(['RPO achieved', formatDuration(drill.rpoMs)]);
  const requested =
    report.target.kind === 'latest' ? 'latest' : report.target.kind === 'position' ? `position ${formatCount(report.target.requestedPosition ?? report.target.position)}` : `time ${report.target.requestedTime ?? ''}`;
  const facts = [
    row('Store', `${e(storeName)} <span class="mono">(${e(report.storeId)})</span>`),
    row('Mode', e(report.mode)),
    row('Target', `${e(requested)}; stopped at position ${e(formatCount(report.target.position))}${report.target.note === null ? '' : ` — ${e(report.target.note)}`}`),
    row('Head hash', `<span class="mono">${e(report.headHash)}</span>`),
    row('Newest restored event', report.headRecordedAt === null ? '—' : e(formatUtc(report.headRecordedAt))),
    row('Events / streams', `${e(formatCount(report.events))} / ${e(formatCount(report.streams))}`),
    row('Verification', `<span class="ok">ok</span> — hash chain of ${e(formatCount(report.verification.checkedEvents))} events, integrity_check ${e(report.verification.integrityCheck)}`),
    row('Started / finished', `${e(formatUtc(report.startedAt))} / ${e(formatUtc(report.finishedAt))}`),
    row(report.dryRun ? 'Built in (deleted after)' : 'Restored store', `<span class="mono">${e(report.destination)}</span>`),
    ...(report.previousStore === null ? [] : [row('Store as it was, kept at', `<span class="mono">${e(report.previousStore)}</span>`)]),
    ...(report.cutBack === null ? [] : [row('Cut back', `the full archive, from position ${e(formatCount(report.cutBack.from))} to ${e(formatCount(report.cutBack.to))}`)]),
    ...(drill === null
      ? []
      : [
          row('RTO target', drill.rtoTargetMs === null ? 'none' : `${e(formatTarget(drill.rtoTargetMs))} — ${drill.rtoMet === true ? '<span class="ok">met</span>' : '<span class="bad">missed</span>'}`),
          row('RPO target', drill.rpoTargetMs === null ? 'none' : `${e(formatTarget(drill.rpoTargetMs))} — ${drill.rpoMet === true ? '<span class="ok">met</span>' : '<span class="bad">missed</span>'}`),
        ]),
  ];
  const shares = stepShares(report.steps, report.rtoMs);
  const most = Math.max(1, ...shares.map((s) => s.ms));
  const steps = table(
    ['Step', 'Duration', 'Share of RTO', ''],
    shares.map((s) => [e(s.name), e(formatDuration(s.ms)), e(formatShare(s.share)), `<div class="bar" style="width:${((s.ms / most) * 100).toFixed(1)}%"></div>`]),
    new Set([1, 2]),
  );
  const left = report.leftOut;
  const leftOut = !left.available
    ? `<p class="muted">The current store could not be compared${left.reason === null ? '' : `: ${e(left.reason)}`}.</p>`
    : left.events === 0
      ? '<p>No event of the current store was left out.</p>'
      : `<p><span class="bad">${e(formatCount(left.events))} events</span> of ${e(formatCount(left.streams))} streams${left.fromPosition === null || left.toPosition === null ? '' : `, positions ${e(formatCount(left.fromPosition))} – ${e(formatCount(left.toPosition))}`}${
          left.firstRecordedAt === null || left.lastRecordedAt === null ? '' : `, recorded ${e(formatUtc(left.firstRecordedAt))} – ${e(formatUtc(left.lastRecordedAt))}`
        }.${left.historyDiverged ? ' <span class="bad">The histories diverged at the restored head.</span>' : ''}</p>` +
        table(['Event type', 'Events'], left.byType.map((t) => [e(t.type), e(formatCount(t.events))]), new Set([1])) +
        table(['Stream', 'Events'], left.byStream.map((s) => [`<span class="mono">${e(s.streamId)}</span>`, e(formatCount(s.events))]), new Set([1]));
  const archives = table(
    ['Archive', 'Kind', 'Positions', 'Used up to', 'Verified in'],
    report.archives.map((a) => [`<span class="mono">${e(a.archive)}</span>`, e(a.kind), e(`${formatCount(a.fromPosition + 1)} – ${formatCount(a.toPosition)}`), e(formatCount(a.usedTo)), e(formatDuration(a.verifyMs))]),
    new Set([3, 4]),
  );
  const types = table(['Event type', 'Events'], [...report.eventTypes].sort((a, b) => b.events - a.events).map((t) => [e(t.type), e(formatCount(t.events))]), new Set([1]));
  const loss = report.dataLoss;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${PRINT_CSS}</style>
</head>
<body>
<h1>${e(kind)} report: ${e(storeName)}</h1>
<p class="muted">${e(formatUtc(report.finishedAt))} · store id <span class="mono">${e(report.storeId)}</span></p>
<p class="lead">${e(restoredSentence(report))}</p>
<div class="metrics">${metrics.map(([label, value]) => `<div class="metric"><span>${e(label)}</span><b>${e(value)}</b></div>`).join('')}</div>
<h2>Summary</h2>
<table><tbody>${facts.join('')}</tbody></table>
<h2>Steps (RTO ${e(formatDuration(report.rtoMs))})</h2>
${steps}
<h2>Data-loss window</h2>
<p><b>${e(formatDuration(loss.windowMs))}</b> from the newest restored event (${e(loss.newestRestoredAt === null ? 'none' : formatUtc(loss.newestRestoredAt))}) to ${e(LOSS_REFERENCE_LABELS[loss.reference])} (${e(formatUtc(loss.referenceAt))}).</p>
<h2>Left out</h2>
${leftOut}
<h2>Archives used</h2>
${archives}
<h2>Event types restored</h2>
${types}
${report.warnings.length === 0 ? '' : `<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>`}
<footer>Generated by Persistence Console at ${e(formatUtc(generatedAt))}. The JSON export of this report holds every field.</footer>
</body>
</html>
`;
}

/** Hands text to the browser as a file download (serve mode and Electron alike: no dialog, no server round trip). */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the URL is released a moment later.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
