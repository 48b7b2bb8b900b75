import type { Migration } from '../runner.js';
import { initial } from './0001-initial.js';
import { integrityChecks } from './0002-integrity-checks.js';
import { backupSchedules } from './0003-backup-schedules.js';
import { recoveryDrills } from './0004-recovery-drills.js';
import { auditTransport } from './0005-audit-transport.js';
import { integrityLosses } from './0006-integrity-losses.js';

/** events.db schema steps, in order. Append new ones; never edit or remove a published one. */
export const eventsMigrations: readonly Migration[] = [initial, integrityChecks, backupSchedules, recoveryDrills, auditTransport, integrityLosses];
