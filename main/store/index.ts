/**
 * The engine (DESIGN §4–§5): a store's folder, its log with the hash chain, migrations, reads, appends,
 * imports, verification, the live feed, the head record, and the crash-safe swap of an in-place restore
 * (completed or rolled back at every open). It imports only the platform.
 */
export { ChainChecker } from './chainChecker.js';
export { EVENTS_DB, EventStore, VIEWS_DB } from './eventStore.js';
export { HEAD_RECORD_FILE, readHeadRecord, writeHeadRecordSync } from './headRecord.js';
export { type RecordedHead } from './recordedHeads.js';
export { removeLeftovers } from './leftovers.js';
export { importNdjson, parseImportLine } from './importer.js';
export { lastIntegrityCheck, recordIntegrityCheck } from './integrityRecords.js';
export { LiveFeed } from './liveFeed.js';
export { eventsMigrations } from './migrations/events/index.js';
export { checkSupportedVersion, runMigrations } from './migrations/runner.js';
export { viewsMigrations } from './migrations/views/index.js';
export { EventReader, type LogHead } from './reader.js';
export { acquireRestoreLock } from './restoreLock.js';
export { parsePreRestoreName, preRestoreName, type RestorePaths, restorePathsFor } from './restorePaths.js';
export { type StoredEvent, toEventJsonLine, toEventRecord } from './storedEvent.js';
export { completeInterruptedSwap, type SwapHooks, swapIn, type SwapRecovery } from './swapJournal.js';
export { firstEventRecordedAfter } from './timeSearch.js';
export { verifyLog, type VerifyProgress, type VerifyReport } from './verify.js';
export { type PreparedAppend, prepareEvent } from './writer.js';
export { eventPages, readEventPage, type EventRange } from './eventRange.js';
