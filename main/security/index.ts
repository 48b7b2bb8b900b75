/** Security (DESIGN §8, §13): the hash-chained audit log. */
export { type AuditEntry, AuditLog } from './auditLog.js';
