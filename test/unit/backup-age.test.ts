import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { Decrypter, Encrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { decodeRawBase64, encodeRawBase64 } from '../../main/platform/age/base64.js';
import { decodeBech32, encodeBech32 } from '../../main/platform/age/bech32.js';
import { parseHeader } from '../../main/platform/age/header.js';
import { parseIdentityFile, parseRecipient, parseX25519Identity, recipientOfIdentity } from '../../main/platform/age/keys.js';
import { AgeDecryptStream, CHUNK } from '../../main/platform/age/stream.js';
import { createEncryptStream, toDecryptionKeys, type DecryptionKeyInput, type EncryptionSpec } from '../../main/backup/encryption.js';
import { expectConsoleError } from '../helpers/expectError.js';

// A low scrypt work factor keeps the passphrase tests fast; the format is the same at age's default 18.
const FAST = 10;

async function encrypt(plain: Buffer, spec: EncryptionSpec): Promise<Buffer> {
  const stream = (await createEncryptStream(spec))!;
  const [, out] = await Promise.all([pipeline(Readable.from(splitInto(plain, 100_003)), stream), buffer(stream)]);
  return out;
}

async function decrypt(sealed: Buffer, keys: DecryptionKeyInput): Promise<Buffer> {
  const stream = new AgeDecryptStream(toDecryptionKeys(keys));
  const [, out] = await Promise.all([pipeline(Readable.from(splitInto(sealed, 77_777)), stream), buffer(stream)]);
  if (stream.damage !== undefined) throw stream.damage;
  return out;
}

function splitInto(bytes: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return pieces.length === 0 ? [] : pieces;
}

describe('age keys and encodings', () => {
  it('round-trips Bech32 and rejects a wrong checksum or mixed case', () => {
    const bytes = randomBytes(32);
    const text = encodeBech32('age', bytes);
    expect(decodeBech32(text)).toEqual({ hrp: 'age', bytes });
    expect(decodeBech32(text.toUpperCase())?.bytes).toEqual(bytes);
    const broken = text.slice(0, -1) + (text.endsWith('q') ? 'p' : 'q');
    expect(decodeBech32(broken)).toBeUndefined();
    expect(decodeBech32(text.slice(0, 10) + text.slice(10).toUpperCase())).toBeUndefined();
  });

  it('accepts only canonical unpadded base64', () => {
    expect(encodeRawBase64(Buffer.from('ab'))).toBe('YWI');
    expect(decodeRawBase64('YWI')).toEqual(Buffer.from('ab'));
    expect(decodeRawBase64('YWI=')).toBeUndefined();
    expect(decodeRawBase64('YWJ')).toBeUndefined(); // non-zero unused bits
  });

  it('derives the same recipient from an identity as the age-encryption library', async () => {
    const identity = await generateIdentity();
    expect(recipientOfIdentity(parseX25519Identity(identity))).toBe(await identityToRecipient(identity));
  });

  it('refuses post-quantum and malformed recipients with INVALID_INPUT', async () => {
    await expectConsoleError(() => parseRecipient('age1pq1' + 'q'.repeat(60)), 'INVALID_INPUT');
    await expectConsoleError(() => parseRecipient('age1notarecipient'), 'INVALID_INPUT');
    await expectConsoleError(() => parseIdentityFile('# nothing here\n', 'key.txt'), 'INVALID_INPUT');
  });
});

describe('age encryption with node:crypto', () => {
  const sizes = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17];

  it.each(sizes)('round-trips %i bytes with an X25519 recipient', async (size) => {
    const identity = await generateIdentity();
    const plain = randomBytes(size);
    const sealed = await encrypt(plain, { kind: 'age-recipient', recipients: [await identityToRecipient(identity)] });
    expect(await decrypt(sealed, { identities: [identity] })).toEqual(plain);
  });

  it('writes files the age-encryption library decrypts (recipient and passphrase)', async () => {
    const identity = await generateIdentity();
    const plain = randomBytes(2 * CHUNK + 5);
    const toRecipient = await encrypt(plain, { kind: 'age-recipient', recipients: [await identityToRecipient(identity)] });
    const d1 = new Decrypter();
    d1.addIdentity(identity);
    expect(Buffer.from(await d1.decrypt(toRecipient))).toEqual(plain);
    const withPassphrase = await encrypt(plain, { kind: 'age-passphrase', passphrase: 'correct horse', scryptLogN: FAST });
    const d2 = new Decrypter();
    d2.addPassphrase('correct horse');
    expect(Buffer.from(await d2.decrypt(withPassphrase))).toEqual(plain);
  });

  it('reads files the age-encryption library writes (recipient and passphrase)', async () => {
    const identity = await generateIdentity();
    const plain = randomBytes(CHUNK * 2);
    const e1 = new Encrypter();
    e1.addRecipient(await identityToRecipient(identity));
    expect(await decrypt(Buffer.from(await e1.encrypt(plain)), { identities: [identity] })).toEqual(plain);
    const e2 = new Encrypter();
    e2.setPassphrase('pass phrase');
    e2.setScryptWorkFactor(FAST);
    expect(await decrypt(Buffer.from(await e2.encrypt(plain)), { passphrases: ['pass phrase'] })).toEqual(plain);
  });

  it('writes a header of one stanza that parses back, with the MAC line last', async () => {
    const sealed = await encrypt(Buffer.from('x'), { kind: 'age-passphrase', passphrase: 'p', scryptLogN: FAST });
    const header = parseHeader(sealed)!;
    expect(header.stanzas).toHaveLength(1);
    expect(header.stanzas[0]!.args[0]).toBe('scrypt');
    expect(header.stanzas[0]!.args[2]).toBe(String(FAST));
    expect(sealed.toString('latin1', 0, header.length)).toMatch(/^age-encryption\.org\/v1\n-> scrypt \S+ 10\n\S{43}\n--- \S{43}\n$/);
  });

  it('a wrong passphrase or identity is DECRYPTION_FAILED', async () => {
    const identity = await generateIdentity();
    const other = await generateIdentity();
    const toRecipient = await encrypt(Buffer.from('secret'), { kind: 'age-recipient', recipients: [await identityToRecipient(identity)] });
    const error = await expectConsoleError(() => decrypt(toRecipient, { identities: [other] }), 'DECRYPTION_FAILED');
    expect(error.message).toContain('1 recipient (X25519)');
    const withPassphrase = await encrypt(Buffer.from('secret'), { kind: 'age-passphrase', passphrase: 'right', scryptLogN: FAST });
    await expectConsoleError(() => decrypt(withPassphrase, { passphrases: ['wrong'] }), 'DECRYPTION_FAILED');
    await expectConsoleError(() => decrypt(withPassphrase, { identities: [identity] }), 'DECRYPTION_FAILED');
  });

  it('a changed payload byte, a changed header or a cut file is ARCHIVE_CORRUPT', async () => {
    const identity = await generateIdentity();
    const keys = { identities: [identity] };
    const sealed = await encrypt(randomBytes(3 * CHUNK), { kind: 'age-recipient', recipients: [await identityToRecipient(identity)] });
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 100]! ^= 1;
    expect((await expectConsoleError(() => decrypt(flipped, keys), 'ARCHIVE_CORRUPT')).message).toMatch(/chunk 2 .*failed authentication/);
    const headerEnd = parseHeader(sealed)!.length;
    const badMac = Buffer.from(sealed);
    badMac[headerEnd - 5] = badMac[headerEnd - 5] === 0x41 ? 0x42 : 0x41;
    await expectConsoleError(() => decrypt(badMac, keys), 'ARCHIVE_CORRUPT');
    await expectConsoleError(() => decrypt(sealed.subarray(0, sealed.length - CHUNK - 16), keys), 'ARCHIVE_CORRUPT');
    await expectConsoleError(() => decrypt(Buffer.from('not an age file at all, just text\n'), keys), 'ARCHIVE_CORRUPT');
  });

  it('another age version is UNSUPPORTED_FORMAT', async () => {
    await expectConsoleError(() => decrypt(Buffer.from('age-encryption.org/v2\n-> X 1\n\n--- x\n'), { passphrases: ['p'] }), 'UNSUPPORTED_FORMAT');
  });
});
