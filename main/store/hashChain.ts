import { hash } from 'node:crypto';

/**
 * The event hash chain (DESIGN §4).
 *
 *   hash(n) = SHA-256( hash(n-1) as 64 lower-case hex ‖ "\n" ‖ position ‖ "\n" ‖ eventId ‖ "\n" ‖ streamId ‖ "\n"
 *                      ‖ streamVersion ‖ "\n" ‖ type ‖ "\n" ‖ recordedAt (ms) ‖ "\n" ‖ metadata JSON ‖ "\n" ‖ data JSON )
 *
 * over the UTF-8 bytes, where hash(0) is 64 zeros (32 zero bytes). The encoding is unambiguous because
 * stream ids and types cannot contain control characters and JSON text as stored never contains a raw
 * newline. One string and one one-shot hash call per event: no Hash objects, no Buffers.
 */
export function chainHash(
  previousHash: string,
  globalPosition: number,
  eventId: string,
  streamId: string,
  streamVersion: number,
  type: string,
  recordedAt: number,
  metadataJson: string,
  dataJson: string,
): string {
  return hash(
    'sha256',
    `${previousHash}\n${globalPosition}\n${eventId}\n${streamId}\n${streamVersion}\n${type}\n${recordedAt}\n${metadataJson}\n${dataJson}`,
    'hex',
  );
}
