import type { ArchiveCheck } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';

/** A failure of the archive as a container (decryption, gzip, tar), naming the member it was reading. */
export class ArchiveReadError extends ConsoleError {
  constructor(
    code: ConsoleError['code'],
    message: string,
    readonly member: string | null,
    readonly check: ArchiveCheck,
  ) {
    super(code, message, { member, check });
  }
}
