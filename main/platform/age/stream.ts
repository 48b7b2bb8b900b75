import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ConsoleError } from '../../../shared/errors.js';
import { ByteQueue } from '../byteQueue.js';
import { describeStanzas, parseHeader, payloadKey, type UnwrapKeys, unwrapFileKey } from './header.js';
import { unwrapWithLibrary } from './libraryFallback.js';

/**
 * The age v1 payload (c2sp.org/age): a 16-byte nonce, then the plaintext in 64 KiB chunks, each sealed
 * with ChaCha20-Poly1305 under HKDF(file key, nonce, "payload") and the nonce counter ‖ last-chunk flag.
 * node:crypto (OpenSSL) seals at hundreds of MB/s where a JavaScript ChaCha does about 50.
 */
export const CHUNK = 64 * 1024;
const TAG = 16;
const SEALED_CHUNK = CHUNK + TAG;

function chunkNonce(counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  // 11-byte big-endian counter: 2^48 chunks (16 EiB) is far beyond any archive, so 6 bytes carry it.
  nonce.writeUIntBE(counter, 5, 6);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** Encrypts a byte stream into an age file: header, nonce, sealed chunks. */
export class AgeEncryptStream extends Transform {
  private readonly queue = new ByteQueue();
  private readonly key: Buffer;
  private counter = 0;
  private started = false;

  constructor(
    private readonly header: Buffer,
    fileKey: Buffer,
  ) {
    super({ highWaterMark: 4 * SEALED_CHUNK });
    const nonce = randomBytes(16);
    this.key = payloadKey(fileKey, nonce);
    this.header = Buffer.concat([header, nonce]);
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.push(this.header);
  }

  private seal(plain: Buffer, last: boolean): void {
    const cipher = createCipheriv('chacha20-poly1305', this.key, chunkNonce(this.counter++, last), { authTagLength: TAG });
    this.push(cipher.update(plain));
    cipher.final();
    this.push(cipher.getAuthTag());
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.start();
    this.queue.push(chunk);
    // A chunk is sealed only once more bytes follow it: the last chunk carries the final flag.
    while (this.queue.length > CHUNK) this.seal(this.queue.take(CHUNK), false);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.start();
    this.seal(this.queue.takeAll(), true);
    callback();
  }
}

/** What may open an archive: passphrases, X25519 identities, and other identity strings for the library. */
export interface DecryptionKeys extends UnwrapKeys {
  readonly otherIdentities: readonly string[];
}

/**
 * Decrypts an age file: parses the header, unwraps the file key with `keys` (DECRYPTION_FAILED when none
 * fits), then opens each chunk (ARCHIVE_CORRUPT naming the chunk when one was altered or is missing).
 */
export class AgeDecryptStream extends Transform {
  private readonly queue = new ByteQueue();
  private key: Buffer | undefined;
  private counter = 0;
  private bytesIn = 0;

  constructor(private readonly keys: DecryptionKeys) {
    super({ highWaterMark: 4 * CHUNK });
  }

  /** Plaintext bytes produced so far. */
  plaintextBytes = 0;

  /**
   * Damage found in the payload. It is not thrown at once: the chunks before it are let through first
   * and the stream then ends short, so the reader downstream fails inside the member the damage is in.
   */
  damage: ConsoleError | undefined;

  private open(sealed: Buffer, last: boolean): void {
    if (this.damage !== undefined) return;
    const decipher = createDecipheriv('chacha20-poly1305', this.key!, chunkNonce(this.counter, last), { authTagLength: TAG });
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    const plain = decipher.update(sealed.subarray(0, sealed.length - TAG));
    try {
      decipher.final();
    } catch {
      this.damage = new ConsoleError(
        'ARCHIVE_CORRUPT',
        `age chunk ${this.counter} (plaintext bytes ${this.counter * CHUNK}–${this.counter * CHUNK + CHUNK - 1}) failed authentication: ` +
          (last ? 'the encrypted archive was altered, damaged or truncated' : 'the encrypted archive was altered or damaged'),
        { chunk: this.counter },
      );
      return;
    }
    this.counter++;
    this.plaintextBytes += plain.length;
    this.push(plain);
  }

  private async readHeader(): Promise<void> {
    const available = this.queue.peek(this.queue.length);
    const header = parseHeader(available);
    if (header === undefined) return;
    if (available.length < header.length + 16) return; // the payload nonce too
    const fileKey = (await unwrapFileKey(header, this.keys)) ?? (await unwrapWithLibrary(available.subarray(0, header.length), this.keys.otherIdentities));
    if (fileKey === undefined) {
      const given = [
        this.keys.passphrases.length > 0 ? `${this.keys.passphrases.length} passphrase(s)` : '',
        this.keys.identities.length + this.keys.otherIdentities.length > 0 ? `${this.keys.identities.length + this.keys.otherIdentities.length} identit(ies)` : '',
      ].filter((s) => s !== '');
      throw new ConsoleError(
        'DECRYPTION_FAILED',
        `the archive is encrypted to ${describeStanzas(header.stanzas)}, and ${given.length === 0 ? 'no key was given' : `none of the ${given.join(' and ')} given opens it`}`,
      );
    }
    this.queue.take(header.length);
    this.key = payloadKey(fileKey, this.queue.take(16));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytesIn += chunk.length;
    this.queue.push(chunk);
    const proceed = async () => {
      if (this.key === undefined) await this.readHeader();
      if (this.key !== undefined) while (this.queue.length > SEALED_CHUNK) this.open(this.queue.take(SEALED_CHUNK), false);
    };
    proceed().then(() => callback(), (error: unknown) => callback(error as Error));
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.damage !== undefined) {
        callback();
        return;
      }
      if (this.key === undefined) throw new ConsoleError('ARCHIVE_CORRUPT', 'the encrypted archive ends inside its header');
      if (this.queue.length < TAG) throw new ConsoleError('ARCHIVE_CORRUPT', 'the encrypted archive is truncated: its final chunk is missing');
      if (this.queue.length === TAG && this.counter > 0) throw new ConsoleError('ARCHIVE_CORRUPT', 'the encrypted archive ends with an empty chunk');
      this.open(this.queue.takeAll(), true);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}
