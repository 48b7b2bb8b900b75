/**
 * The base64 of the age format (c2sp.org/age): standard alphabet, no padding, and canonical only —
 * a decoder must reject `=` padding and encodings whose unused bits are not zero.
 */
const ALPHABET = /^[A-Za-z0-9+/]*$/;

export function encodeRawBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

/** The decoded bytes, or undefined when `text` is not canonical unpadded base64. */
export function decodeRawBase64(text: string): Buffer | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return encodeRawBase64(bytes) === text ? bytes : undefined;
}
