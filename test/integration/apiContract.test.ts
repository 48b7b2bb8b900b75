import { describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, type InputOf, type MethodName } from '../../shared/api/contract.js';
import type { Principal, Role } from '../../shared/security.js';
import { roleAllows } from '../../shared/security.js';
import { issuesFrom } from '../../shared/validation.js';
import { ApiPipeline } from '../../main/api/pipeline.js';
import { loadHandler } from '../../main/api/handlers/index.js';
import { ConsoleHost } from '../../main/host/consoleHost.js';
import { AuditLog } from '../../main/security/auditLog.js';
import { invalidInputs } from '../helpers/invalidInputs.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const principal = (role: Role): Principal => ({ name: `test-${role}`, role, transport: 'test' });

/** One valid input per entry; the compiler insists on an example for every entry of the contract. */
const VALID: { readonly [M in MethodName]: InputOf<M> } = {
  'session.info': {},
  'store.overview': {},
  'store.eventRate': { range: '1h' },
  'store.verify': {},
  'store.recent': {},
  'store.init': { path: '/nonexistent/new-store' },
  'store.stats': {},
  'store.acknowledgeLoss': { confirmStoreName: 'store' },
  'store.open': { path: '/nonexistent/store' },
  'store.create': { path: '/nonexistent/store' },
  'store.loadDemo': { events: 10, streams: 3 },
  'streams.list': { limit: 10 },
  'streams.get': { streamId: 'order-1' },
  'events.page': { from: 1, limit: 10 },
  'events.get': { position: 1 },
  'events.types': {},
  'events.export': { limit: 10 },
  'events.import': { file: '/nonexistent/events.ndjson' },
  'events.append': { streamId: 'order-1', expectedVersion: 'any', events: [{ type: 'OrderPlaced', data: { total: 1 } }] },
  'jobs.list': {},
  'jobs.cancel': { jobId: 'no-such-job' },
  'live.events': {},
  'live.head': {},
  'jobs.updates': {},
  'backup.catalog': {},
  'backup.addFolder': { dir: '/nonexistent/backups' },
  'backup.create': { destination: '/nonexistent/backups', kind: 'full', encryption: { kind: 'none' } },
  'backup.verify': { archive: '/nonexistent/backups/x.tar.gz' },
  'backup.export': { archives: ['/nonexistent/backups/x.tar.gz'], to: '/nonexistent/export' },
  'backup.downloadLink': { archive: '/nonexistent/backups/x.tar.gz' },
  'backup.schedules': {},
  'backup.saveSchedule': {
    schedule: { name: 'nightly', cron: '0 2 * * *', kind: 'full', destination: '/nonexistent/backups', encryption: { kind: 'none' } },
  },
  'backup.deleteSchedule': { id: 'no-such-schedule' },
  'backup.runNow': { scheduleId: 'no-such-schedule' },
  'backup.runs': {},
  'backup.describeCron': { cron: '0 2 * * *' },
  'backup.prune': { dir: '/nonexistent/backups', policy: { keepLast: 3 } },
  'backup.list': { dir: '/nonexistent/backups' },
  'backup.events': {},
  'backup.trustedKey': {},
  'backup.setTrustedKey': { clear: true },
  'backup.generateSigningKey': { dir: '/nonexistent/keys' },
  'recovery.sources': {},
  'recovery.plan': { target: { kind: 'latest' } },
  'recovery.eventsAround': { target: { kind: 'time', at: '2026-03-01T10:00:00.000Z' }, before: 5, after: 5 },
  'recovery.validate': { sources: ['/nonexistent/backups'], target: { kind: 'position', position: 10 } },
  'recovery.dryRun': { sources: ['/nonexistent/backups'], target: { kind: 'latest' }, keys: { passphrase: 'correct horse' } },
  'recovery.restore': { sources: ['/nonexistent/backups'], target: { kind: 'position', position: 10 }, confirmStoreName: 'store' },
  'recovery.preRestoreStores': {},
  'recovery.discardPreRestore': { path: '/nonexistent/store.pre-restore-20260301T100000Z' },
  'recovery.drillStatus': {},
  'recovery.drills': { limit: 10 },
  'recovery.saveDrillPolicy': { policy: { cron: '0 4 * * 0', backupsDir: '/nonexistent/backups', maxAgeHours: 192 } },
  'recovery.runDrill': {},
  'recovery.restoreTo': { sources: ['/nonexistent/backups'], target: { kind: 'latest' }, to: '/nonexistent/restored' },
};

describe('the API contract, checked on every entry', () => {
  const temp = useTempDirs();

  const withPipeline = async (fn: (pipeline: ApiPipeline, host: ConsoleHost) => Promise<void>) => {
    const host = new ConsoleHost({ storePath: temp.path(), transport: 'test', createIfMissing: true });
    try {
      await fn(new ApiPipeline(host), host);
    } finally {
      await host.close();
    }
  };

  it('has a handler and a valid example for every entry', async () => {
    for (const name of METHOD_NAMES) {
      expect(typeof (await loadHandler(name)), name).toBe('function');
      expect(contract[name].input.safeParse(VALID[name]).success, `${name}: the example must be valid`).toBe(true);
    }
  });

  it('refuses invalid input with INVALID_INPUT on every entry, before any handler runs', async () => {
    await withPipeline(async (pipeline, host) => {
      for (const name of METHOD_NAMES) {
        const cases = invalidInputs(contract[name].input, VALID[name]);
        expect(cases.length, `${name}: generated invalid cases`).toBeGreaterThanOrEqual(3);
        for (const c of cases) {
          const result =
            contract[name].kind === 'subscription'
              ? pipeline.subscribe(principal('admin'), name, c.input, () => undefined, () => undefined)
              : await pipeline.call(principal('admin'), name, c.input);
          expect(result.ok, `${name} with ${c.label}`).toBe(false);
          if (!result.ok) {
            expect(result.error.code, `${name} with ${c.label}: ${result.error.message}`).toBe('INVALID_INPUT');
            // Forms place each issue beside its field: every refusal names where, as a path from the input's top.
            const issues = issuesFrom(result.error.details);
            expect(issues.length, `${name} with ${c.label}: issues`).toBeGreaterThan(0);
            for (const issue of issues) expect(result.error.message).toContain(issue.message);
          }
        }
      }
      expect(host.store.head().position, 'no invalid call wrote anything').toBe(0);
      expect(host.jobs.list(), 'no invalid call started a job').toEqual([]);
    });
  });

  it('refuses unknown methods and the wrong verb', async () => {
    await withPipeline(async (pipeline) => {
      const unknown = await pipeline.call(principal('admin'), 'events.drop', {});
      expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      const notACall = await pipeline.call(principal('admin'), 'live.events', {});
      expect(notACall).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      const notASubscription = pipeline.subscribe(principal('admin'), 'events.append', VALID['events.append'], () => undefined, () => undefined);
      expect(notASubscription).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      const badField = await pipeline.call(principal('admin'), 'store.eventRate', { range: '2y' });
      expect(badField).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { issues: [{ path: ['range'] }] } } });
      // What a domain finds wrong in the object it checks is placed where that object sits in the input.
      const badCron = await pipeline.call(principal('admin'), 'backup.saveSchedule', {
        schedule: { name: 'nightly', cron: 'every tuesday', destination: '/nonexistent/backups', kind: 'full', encryption: { kind: 'none' } },
      });
      expect(badCron).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { issues: [{ path: ['schedule', 'cron'] }] } } });
      const badZone = await pipeline.call(principal('admin'), 'recovery.saveDrillPolicy', { policy: { cron: '0 3 * * *', timezone: 'Mars/Olympus', backupsDir: '/nonexistent/backups', maxAgeHours: 24 } });
      expect(badZone).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { issues: [{ path: ['policy', 'timezone'] }] } } });
    });
  });

  it('answers FORBIDDEN to every role below an entry’s, with valid input, and changes nothing', async () => {
    await withPipeline(async (pipeline, host) => {
      let checked = 0;
      for (const name of METHOD_NAMES) {
        const entry = contract[name];
        for (const role of ['viewer', 'auditor', 'operator'] as const) {
          if (roleAllows(role, entry.role)) continue;
          const result =
            entry.kind === 'subscription'
              ? pipeline.subscribe(principal(role), name, VALID[name], () => undefined, () => undefined)
              : await pipeline.call(principal(role), name, VALID[name]);
          expect(result, `${name} as ${role}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(5);
      expect(host.store.head().position).toBe(0);
      expect(host.jobs.list()).toEqual([]);
      // Refusals of commands are audited as denied.
      const audit = new AuditLog(host.store.writerDb()).recent(100);
      expect(audit.some((a) => a.action === 'events.append' && a.outcome === 'denied' && a.actor === 'test-viewer')).toBe(true);
    });
  });

  it('lets a viewer read and every command of an operator through, and audits commands', async () => {
    await withPipeline(async (pipeline, host) => {
      const appended = await pipeline.call(principal('operator'), 'events.append', VALID['events.append']);
      expect(appended).toMatchObject({ ok: true, value: { globalPosition: 1, streamVersion: 0 } });
      const page = await pipeline.call(principal('viewer'), 'events.page', { from: 1, limit: 10 });
      expect(page).toMatchObject({ ok: true, value: { total: 1 } });
      const audit = new AuditLog(host.store.writerDb()).recent(10);
      expect(audit[0]).toMatchObject({ actor: 'test-operator', action: 'events.append', target: 'order-1', outcome: 'ok' });
    });
  });

  it('maps engine errors to their codes across the boundary', async () => {
    await withPipeline(async (pipeline) => {
      await pipeline.call(principal('operator'), 'events.append', VALID['events.append']);
      const conflict = await pipeline.call(principal('operator'), 'events.append', { ...VALID['events.append'], expectedVersion: 'no_stream' });
      expect(conflict).toMatchObject({ ok: false, error: { code: 'WRONG_EXPECTED_VERSION', details: { actualVersion: 0 } } });
      const missing = await pipeline.call(principal('viewer'), 'streams.get', { streamId: 'nope' });
      expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const desktopOnly = await pipeline.call(principal('admin'), 'store.open', { path: '/tmp' });
      expect(desktopOnly).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    });
  });
});
