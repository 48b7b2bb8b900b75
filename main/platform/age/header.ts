import { createCipheriv, createDecipheriv, createHmac, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConsoleError } from '../../../shared/errors.js';
import { decodeRawBase64, encodeRawBase64 } from './base64.js';
import { publicKeyObject, rawPublicKey, type X25519Identity, type X25519Recipient } from './keys.js';
import { scryptKey } from './scrypt.js';

/**
 * The age v1 header (c2sp.org/age): the version line, one stanza per recipient wrapping the 16-byte file
 * key, and an HMAC over all of it. Written and read here with node:crypto so that the payload, which is
 * most of the work, can also use node:crypto (see stream.ts).
 */
export const VERSION_LINE = 'age-encryption.org/v1';
const X25519_INFO = 'age-encryption.org/v1/X25519';
const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';
/** age's default passphrase work factor (2^18): about a second, 256 MiB. */
export const SCRYPT_LOG_N = 18;
/** The highest work factor accepted when decrypting: 2^20 needs 1 GiB; more is refused rather than risked. */
export const MAX_SCRYPT_LOG_N = 20;
/** No header of ours is anywhere near this; a longer one is not an archive of ours. */
export const MAX_HEADER_BYTES = 64 * 1024;

export interface Stanza {
  readonly args: readonly string[];
  readonly body: Buffer;
}

export interface ParsedHeader {
  readonly stanzas: readonly Stanza[];
  /** The header bytes up to and including `---`: what the MAC covers. */
  readonly macInput: Buffer;
  readonly mac: Buffer;
  /** Length of the whole header including the MAC line. */
  readonly length: number;
}

function wrapKey(key: Buffer, fileKey: Buffer): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
  return Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
}

function unwrapKey(key: Buffer, body: Buffer): Buffer | undefined {
  if (body.length !== 32) return undefined;
  try {
    const decipher = createDecipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
    decipher.setAuthTag(body.subarray(16));
    return Buffer.concat([decipher.update(body.subarray(0, 16)), decipher.final()]);
  } catch {
    return undefined;
  }
}

function hkdf(ikm: Buffer, salt: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));
}

export function headerMac(fileKey: Buffer, macInput: Buffer): Buffer {
  return createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header')).update(macInput).digest();
}

export function payloadKey(fileKey: Buffer, nonce: Buffer): Buffer {
  return hkdf(fileKey, nonce, 'payload');
}

function encodeStanza(stanza: Stanza): string {
  const body = encodeRawBase64(stanza.body);
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  // The body ends with a line shorter than 64 columns, which is empty when the last one is full.
  if (body.length % 64 === 0) lines.push('');
  return `-> ${stanza.args.join(' ')}\n${lines.join('\n')}\n`;
}

function x25519Stanza(recipient: X25519Recipient, fileKey: Buffer): Stanza {
  const ephemeral = generateKeyPairSync('x25519');
  const share = rawPublicKey(ephemeral.publicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient.keyObject });
  const key = hkdf(shared, Buffer.concat([share, recipient.publicKey]), X25519_INFO);
  return { args: ['X25519', encodeRawBase64(share)], body: wrapKey(key, fileKey) };
}

async function scryptStanza(passphrase: string, fileKey: Buffer, logN: number): Promise<Stanza> {
  const salt = randomBytes(16);
  const key = await scryptKey(passphrase, Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]), logN);
  return { args: ['scrypt', encodeRawBase64(salt), String(logN)], body: wrapKey(key, fileKey) };
}

export type HeaderKey = { readonly passphrase: string; readonly scryptLogN?: number } | { readonly recipients: readonly X25519Recipient[] };

/** A new file key and the header that wraps it for `key`. */
export async function createHeader(key: HeaderKey): Promise<{ header: Buffer; fileKey: Buffer }> {
  const fileKey = randomBytes(16);
  const stanzas =
    'passphrase' in key ? [await scryptStanza(key.passphrase, fileKey, key.scryptLogN ?? SCRYPT_LOG_N)] : key.recipients.map((r) => x25519Stanza(r, fileKey));
  if (stanzas.length === 0) throw new ConsoleError('INVALID_INPUT', 'an encrypted archive needs at least one recipient');
  const macInput = Buffer.from(`${VERSION_LINE}\n${stanzas.map(encodeStanza).join('')}---`);
  const header = Buffer.concat([macInput, Buffer.from(` ${encodeRawBase64(headerMac(fileKey, macInput))}\n`)]);
  return { header, fileKey };
}

function corrupt(message: string): ConsoleError {
  return new ConsoleError('ARCHIVE_CORRUPT', `the age header is damaged: ${message}`);
}

/**
 * Parses a header at the start of `bytes`. Returns undefined when more bytes are needed; throws
 * ARCHIVE_CORRUPT (or UNSUPPORTED_FORMAT for another age version) when it is not a valid header.
 */
export function parseHeader(bytes: Buffer): ParsedHeader | undefined {
  let offset = 0;
  const nextLine = (): string | undefined => {
    const end = bytes.indexOf(0x0a, offset);
    if (end === -1) {
      if (bytes.length - offset > MAX_HEADER_BYTES) throw corrupt('a header line is too long');
      return undefined;
    }
    const line = bytes.toString('latin1', offset, end);
    offset = end + 1;
    return line;
  };
  const first = nextLine();
  if (first === undefined) {
    if (bytes.length >= VERSION_LINE.length && !bytes.toString('latin1', 0, VERSION_LINE.length).startsWith('age-encryption.org/'))
      throw new ConsoleError('ARCHIVE_CORRUPT', 'the file does not start with an age header (age-encryption.org/v1)');
    return undefined;
  }
  if (first !== VERSION_LINE) {
    if (first.startsWith('age-encryption.org/')) throw new ConsoleError('UNSUPPORTED_FORMAT', `age format ${first.slice(19)} is not supported (only v1)`);
    throw new ConsoleError('ARCHIVE_CORRUPT', 'the file does not start with an age header (age-encryption.org/v1)');
  }
  const stanzas: Stanza[] = [];
  for (;;) {
    if (offset > MAX_HEADER_BYTES) throw corrupt('it is longer than any header this program writes');
    const lineStart = offset;
    const line = nextLine();
    if (line === undefined) return undefined;
    if (line.startsWith('--- ')) {
      const mac = decodeRawBase64(line.slice(4));
      if (mac === undefined || mac.length !== 32) throw corrupt('the MAC line is malformed');
      if (stanzas.length === 0) throw corrupt('it has no recipient stanza');
      return { stanzas, macInput: bytes.subarray(0, lineStart + 3), mac, length: offset };
    }
    if (!line.startsWith('-> ')) throw corrupt('expected a stanza (->) or the MAC line (---)');
    const args = line.slice(3).split(' ');
    if (args.some((a) => !/^[\x21-\x7e]+$/.test(a))) throw corrupt('a stanza argument is malformed');
    let body = '';
    for (;;) {
      const bodyLine = nextLine();
      if (bodyLine === undefined) return undefined;
      if (bodyLine.length > 64) throw corrupt('a stanza body line is longer than 64 columns');
      body += bodyLine;
      if (bodyLine.length < 64) break;
    }
    const decoded = decodeRawBase64(body);
    if (decoded === undefined) throw corrupt('a stanza body is not canonical base64');
    stanzas.push({ args, body: decoded });
  }
}

/** What can open an archive: passphrases and/or X25519 identities (tried in order). */
export interface UnwrapKeys {
  readonly passphrases: readonly string[];
  readonly identities: readonly X25519Identity[];
}

function unwrapX25519(stanza: Stanza, identity: X25519Identity): Buffer | undefined {
  if (stanza.args.length !== 2) throw corrupt('an X25519 stanza must have exactly one argument');
  const share = decodeRawBase64(stanza.args[1]!);
  if (share === undefined || share.length !== 32) throw corrupt('an X25519 stanza has a malformed ephemeral share');
  if (stanza.body.length !== 32) throw corrupt('an X25519 stanza body must be 32 bytes');
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey: identity.keyObject, publicKey: publicKeyObject(share) });
  } catch {
    return undefined; // a low-order share: not for us
  }
  if (shared.every((b) => b === 0)) throw corrupt('an X25519 stanza has a low-order ephemeral share');
  return unwrapKey(hkdf(shared, Buffer.concat([share, identity.publicKey]), X25519_INFO), stanza.body);
}

async function unwrapScrypt(stanza: Stanza, stanzaCount: number, passphrase: string): Promise<Buffer | undefined> {
  if (stanzaCount !== 1) throw corrupt('a passphrase (scrypt) stanza must be the only stanza');
  if (stanza.args.length !== 3) throw corrupt('a scrypt stanza must have exactly two arguments');
  const salt = decodeRawBase64(stanza.args[1]!);
  if (salt === undefined || salt.length !== 16) throw corrupt('a scrypt stanza has a malformed salt');
  if (!/^[1-9][0-9]?$/.test(stanza.args[2]!)) throw corrupt('a scrypt stanza has a malformed work factor');
  const logN = Number(stanza.args[2]);
  if (logN > MAX_SCRYPT_LOG_N)
    throw new ConsoleError('DECRYPTION_FAILED', `the passphrase work factor 2^${logN} is higher than this program accepts (2^${MAX_SCRYPT_LOG_N})`);
  if (stanza.body.length !== 32) throw corrupt('a scrypt stanza body must be 32 bytes');
  return unwrapKey(await scryptKey(passphrase, Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]), logN), stanza.body);
}

/** Describes for a message who a header is addressed to, without any secret. */
export function describeStanzas(stanzas: readonly Stanza[]): string {
  if (stanzas.some((s) => s.args[0] === 'scrypt')) return 'a passphrase';
  const kinds = [...new Set(stanzas.map((s) => s.args[0]))];
  return `${stanzas.length} recipient${stanzas.length === 1 ? '' : 's'} (${kinds.join(', ')})`;
}

/**
 * The file key, unwrapped with the first key that opens a stanza; the header MAC is then checked.
 * DECRYPTION_FAILED when no key matches; ARCHIVE_CORRUPT when a key matches but the MAC does not.
 */
export async function unwrapFileKey(header: ParsedHeader, keys: UnwrapKeys): Promise<Buffer | undefined> {
  let fileKey: Buffer | undefined;
  for (const stanza of header.stanzas) {
    if (stanza.args[0] === 'X25519') {
      for (const identity of keys.identities) {
        fileKey = unwrapX25519(stanza, identity);
        if (fileKey !== undefined) break;
      }
    } else if (stanza.args[0] === 'scrypt') {
      for (const passphrase of keys.passphrases) {
        fileKey = await unwrapScrypt(stanza, header.stanzas.length, passphrase);
        if (fileKey !== undefined) break;
      }
    }
    if (fileKey !== undefined) break;
  }
  if (fileKey === undefined) return undefined;
  checkMac(header, fileKey);
  return fileKey;
}

export function checkMac(header: ParsedHeader, fileKey: Buffer): void {
  const expected = headerMac(fileKey, header.macInput);
  if (!timingSafeEqual(expected, header.mac)) throw corrupt('its MAC does not match (the header was changed)');
}
