import { describe, expect, it } from 'vitest';
import type { DrillReport, RecoveryReport } from '../../shared/recovery.js';
import { escapeHtml, reportFileName, reportHtml, reportJson } from '../../renderer/src/pages/recovery/report/exportReport.js';

const HASH = 'ab'.repeat(32);

function report(overrides: Partial<RecoveryReport> = {}): RecoveryReport {
  return {
    ok: true,
    mode: 'in-place',
    dryRun: false,
    storeId: 'store-1',
    target: { kind: 'position', requestedPosition: 120, requestedTime: null, position: 120, note: null },
    headPosition: 120,
    headHash: HASH,
    headRecordedAt: '2026-05-01T14:03:11.000Z',
    events: 120,
    streams: 7,
    eventTypes: [{ type: '<script>alert(1)</script>', events: 120 }],
    steps: [
      { name: 'validate', ms: 300 },
      { name: 'apply', ms: 700 },
    ],
    rtoMs: 1000,
    startedAt: '2026-05-01T15:00:00.000Z',
    finishedAt: '2026-05-01T15:00:01.000Z',
    destination: '/stores/orders',
    previousStore: '/stores/orders.pre-restore-20260501T150001Z',
    archives: [{ archive: '/backups/a"b.tar.gz', kind: 'full', fromPosition: 0, toPosition: 200, usedTo: 120, verifyMs: 40 }],
    cutBack: { from: 200, to: 120 },
    verification: { ok: true, checkedEvents: 120, integrityCheck: 'ok' },
    leftOut: {
      available: true,
      reason: null,
      currentHeadPosition: 150,
      currentHeadHash: HASH,
      currentHeadRecordedAt: '2026-05-01T14:10:00.000Z',
      events: 30,
      fromPosition: 121,
      toPosition: 150,
      firstRecordedAt: '2026-05-01T14:05:00.000Z',
      lastRecordedAt: '2026-05-01T14:10:00.000Z',
      byStream: [{ streamId: "bad'<b>stream", events: 30 }],
      streams: 1,
      byType: [{ type: 'PriceOverwritten & more', events: 30 }],
      historyDiverged: false,
      regained: 0,
    },
    dataLoss: { newestRestoredAt: '2026-05-01T14:03:11.000Z', referenceAt: '2026-05-01T14:10:00.000Z', reference: 'current-store', windowMs: 409_000 },
    carriedOver: null,
    warnings: ['a warning with <angle> brackets'],
    ...overrides,
  };
}

describe('report exports', () => {
  it('escapes every character HTML gives a meaning to', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('writes a self-contained printable page with every string escaped', () => {
    const html = reportHtml(report(), 'orders <prod>', '2026-05-01T15:01:00.000Z');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('bad&#39;&lt;b&gt;stream');
    expect(html).toContain('PriceOverwritten &amp; more');
    expect(html).toContain('/backups/a&quot;b.tar.gz');
    expect(html).toContain('orders &lt;prod&gt;');
    expect(html).toContain('a warning with &lt;angle&gt; brackets');
    expect(html).toContain(HASH);
    // Each step with its share of the RTO.
    expect(html).toMatch(/validate<\/td><td class="num">300 ms<\/td><td class="num">30%/);
    expect(html).toMatch(/apply<\/td><td class="num">700 ms<\/td><td class="num">70%/);
  });

  it('shows a drill’s RPO and targets, and names files after the store and the finish time', () => {
    const drill: DrillReport = { ...report({ mode: 'dry-run', dryRun: true, previousStore: null }), rpoMs: 4_000_000, rtoTargetMs: 300_000, rpoTargetMs: 3_600_000, rtoMet: true, rpoMet: false };
    const html = reportHtml(drill, 'orders', '2026-05-01T15:01:00.000Z');
    expect(html).toContain('Recovery drill report');
    expect(html).toContain('RPO achieved');
    expect(html).toContain('5 min — <span class="ok">met</span>');
    expect(html).toContain('60 min — <span class="bad">missed</span>');
    expect(reportFileName(drill, 'orders', 'html')).toBe('drill-report-orders-20260501T150001Z.html');
    expect(reportFileName(report(), 'my store/1', 'json')).toBe('recovery-report-my_store_1-20260501T150001Z.json');
    expect(JSON.parse(reportJson(report()))).toEqual(report());
  });
});
