import type { Migration } from '../runner.js';

// Audit records name the transport a call came through (electron, serve, cli, scheduler): DESIGN §13's
// record shape. Records written before this have none (NULL) and keep the hash they were chained with;
// records from here on chain the transport too (main/security/auditLog.ts).
export const auditTransport: Migration = {
  version: 5,
  name: 'audit-transport',
  up(db) {
    db.exec('ALTER TABLE audit ADD COLUMN transport TEXT');
  },
};
