import { describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, queriesStaleAfter } from '../../shared/api/contract.js';
import { DATA_DOMAINS, type DataDomain } from '../../shared/api/define.js';

// Every entry declares what it reads or changes (shared/api/define.ts); the renderer's refreshes derive from it.
describe('what contract entries read and change', () => {
  const changed = new Set<DataDomain>(['log', 'streams']); // appends from any process, announced by live.head
  for (const m of METHOD_NAMES) {
    const c = contract[m].changes;
    if (c !== 'everything') c.forEach((d) => changed.add(d));
  }

  it('every domain a query reads is changed by something, so no screen waits forever for a refresh', () => {
    const neverChanged = METHOD_NAMES.flatMap((m) => contract[m].reads.filter((d) => !changed.has(d) && d !== 'session').map((d) => `${m} reads ${d}`));
    expect(neverChanged).toEqual([]);
  });

  it('queries read and do not change; commands and jobs change and do not read; subscriptions neither', () => {
    for (const m of METHOD_NAMES) {
      const e = contract[m];
      if (e.kind !== 'query') expect(e.reads, m).toEqual([]);
      if (e.kind === 'query' || e.kind === 'subscription') expect(e.changes, m).toEqual([]);
      for (const d of [...e.reads, ...(e.changes === 'everything' ? [] : e.changes)]) expect(DATA_DOMAINS, m).toContain(d);
    }
  });

  it('names the queries a change makes stale', () => {
    expect(queriesStaleAfter(['drills'])).toEqual(['recovery.drillStatus', 'recovery.drills']);
    expect(queriesStaleAfter(['integrity'])).toEqual(['store.overview']);
    expect(queriesStaleAfter([])).toEqual([]);
    expect(queriesStaleAfter('everything')).toEqual(METHOD_NAMES.filter((m) => contract[m].kind === 'query'));
  });
});
