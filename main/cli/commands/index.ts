import type { Command } from '../command.js';
import { acknowledgeLossCommand } from './acknowledgeLoss.js';
import { appendCommand } from './append.js';
import { backupCreateCommand } from './backupCreate.js';
import { backupKeygenCommand } from './backupKeygen.js';
import { backupListCommand } from './backupList.js';
import { backupPruneCommand } from './backupPrune.js';
import { backupVerifyCommand } from './backupVerify.js';
import { drillCommand } from './drill.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { readCommand } from './read.js';
import { restoreCommand } from './restore.js';
import { serveCommand } from './serve.js';
import { statsCommand } from './stats.js';
import { verifyCommand } from './verify.js';

/** Every `pconsole` command, in the order `--help` lists them. */
export const commands: readonly Command[] = [initCommand, appendCommand, importCommand, readCommand, exportCommand, statsCommand, verifyCommand, acknowledgeLossCommand, backupCreateCommand, backupListCommand, backupVerifyCommand, backupPruneCommand, backupKeygenCommand, restoreCommand, drillCommand, serveCommand];
