/**
 * The platform room (DESIGN §2): what every domain uses and nothing domain-specific. Durable writes and
 * disk helpers, one file lock, the clock, the step timer and step runner, the recurring-job engine (cron, windows,
 * catch-up), the typed settings repository, SQLite connections, worker threads, the jobs list, the age
 * format, ids. It imports no other room of main/.
 */
export { createHeader } from './age/header.js';
export { parseIdentityFile, parsePassphraseFile, parseRecipient, parseX25519Identity, readSecretFile } from './age/keys.js';
export { AgeDecryptStream, AgeEncryptStream, type DecryptionKeys } from './age/stream.js';
export { hostTimeZone, type Clock, systemClock } from './clock.js';
export { FileLock, lockState, processAlive } from './fileLock.js';
export { requireFreeSpace, translateDiskError } from './fs/disk.js';
export { exists, fsyncDirectory, fsyncDirectorySync, fsyncFolderFiles, publish, removeQuietly, tempPathFor, writeFileDurably, writeFileDurablySync, writeSynced } from './fs/durable.js';
export { hashFile } from './fs/fileHash.js';
export { RecordFile } from './fs/recordFile.js';
export { decodeUtf8Strictly, fileReadError, readFileBounded, readFileBoundedSync, readStreamBounded, readTextFileBounded } from './fs/boundedRead.js';
export { PacedFileWriter } from './fs/pacedFileWriter.js';
export { JobManager, type JobRunContext } from './jobs.js';
export { PACKAGE_ROOT, TOOL_VERSION } from './packageInfo.js';
export { ParallelGzip } from './parallelGzip.js';
export { defaultStoreDir, PRODUCT_NAME } from './paths.js';
export { checkTimeZone, compileCron, describeCron, nextRunAfter, previousRunAtOrBefore, runInWords } from './recurring/cron.js';
export { seededRandom } from './seededRandom.js';
export { defineSetting, deleteSetting, readSetting, readSettingRecord, writeSetting, writeSettingDefault } from './settings.js';
export { applyDurability, isSqliteCorruption, openReadable, openScratch, openWritable, type ReadableDB, setDefaultNativeBinding, translateSqliteError, type WritableDB } from './sqlite.js';
export { runSteps, type Step, type StepOutcome, type StepsRun, STOP_RUN, type RunStepsOptions } from './steps.js';
export { PhaseTimer } from './stepTimer.js';
export { uuidv7 } from './uuid7.js';
export { contentSecurityPolicy, contentTypeFor } from './webContent.js';
export { startWorker, workerEntry } from './workers.js';
export { RecurringJobs, type Due, type PendingRun, type RecurringPolicy, type RecurringSchedule, type RecurringTrigger } from './recurring/engine.js';
export { type CatchUpRule } from './recurring/catchUp.js';
export { type TimeWindow } from './recurring/window.js';
export { PolicyRuns, type ActiveRun } from './recurring/policyRuns.js';
