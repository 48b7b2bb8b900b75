import { describe, expect, it } from 'vitest';
import { eventHref, parseRoute, recoveryHref, streamsHref } from '../../renderer/src/app/routes.js';

describe('parseRoute', () => {
  it('reads the pages, the streams route and unknown paths as before', () => {
    expect(parseRoute('')).toEqual({ page: 'overview' });
    expect(parseRoute('#/backups')).toEqual({ page: 'backups' });
    expect(parseRoute('#/streams/order%2F1?event=42&tab=live')).toEqual({ page: 'streams', streamId: 'order/1', event: 42, tab: 'live' });
    expect(parseRoute('#/streams?event=0')).toEqual({ page: 'streams', streamId: null, event: null, tab: 'events' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'not-found', path: '/nowhere' });
    expect(parseRoute('#/backups/extra')).toEqual({ page: 'not-found', path: '/backups/extra' });
  });

  it('opens the recovery wizard with a target position, or a tab', () => {
    expect(parseRoute('#/recovery')).toEqual({ page: 'recovery', tab: 'restore', position: null });
    expect(parseRoute('#/recovery?position=1204331')).toEqual({ page: 'recovery', tab: 'restore', position: 1_204_331 });
    expect(parseRoute('#/recovery?tab=drills')).toEqual({ page: 'recovery', tab: 'drills', position: null });
    expect(parseRoute('#/recovery?tab=set-aside')).toEqual({ page: 'recovery', tab: 'set-aside', position: null });
    // A target belongs to the wizard, whatever tab is named beside it; nonsense is no target.
    expect(parseRoute('#/recovery?tab=drills&position=9')).toEqual({ page: 'recovery', tab: 'restore', position: 9 });
    for (const bad of ['0', '-3', '1.5', 'abc', '1234567890123456'])
      expect(parseRoute(`#/recovery?position=${bad}`)).toEqual({ page: 'recovery', tab: 'restore', position: null });
    expect(parseRoute('#/recovery?tab=unknown')).toEqual({ page: 'recovery', tab: 'restore', position: null });
    expect(parseRoute('#/recovery/more')).toEqual({ page: 'not-found', path: '/recovery/more' });
  });

  it('builds hrefs that parse back to the same route', () => {
    expect(recoveryHref()).toBe('#/recovery');
    expect(recoveryHref({ position: 41 })).toBe('#/recovery?position=41');
    expect(recoveryHref({ tab: 'drills' })).toBe('#/recovery?tab=drills');
    expect(parseRoute(recoveryHref({ tab: 'set-aside' }))).toEqual({ page: 'recovery', tab: 'set-aside', position: null });
    expect(parseRoute(recoveryHref({ position: 7 }))).toEqual({ page: 'recovery', tab: 'restore', position: 7 });
    expect(eventHref(5)).toBe('#/streams?event=5');
    expect(streamsHref({ streamId: 'a b', tab: 'live' })).toBe('#/streams/a%20b?tab=live');
  });
});
