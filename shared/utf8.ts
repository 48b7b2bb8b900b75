/**
 * Text from outside is decoded strictly: bytes that are not UTF-8 are refused, never replaced by U+FFFD.
 * A replacement would change the data (and the stream id, the type) without a word, and the event would
 * be hashed and stored as something its writer never sent.
 */

// shared/ is compiled without DOM or Node types; every runtime it runs in (Node, Chromium) has TextDecoder.
declare const TextDecoder: new (label: 'utf-8', options: { fatal: boolean; ignoreBOM: boolean }) => { decode(bytes: Uint8Array): string };

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as text, or undefined when they are not valid UTF-8. A leading BOM is kept (as U+FEFF), not dropped. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1 when all of
 * them are valid. Only for messages (it is slower than the decoder): "byte 17 of line 3".
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let length: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      length = 2;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      min = 0x10000;
    } else return i;
    if (i + length > bytes.length) return i;
    let cp = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += length;
  }
  return -1;
}

/** "not valid UTF-8 (byte 17 is 0xff)": where and what, for a message about `bytes`. */
export function describeInvalidUtf8(bytes: Uint8Array): string {
  const at = firstInvalidUtf8(bytes);
  return at < 0 ? 'not valid UTF-8' : `not valid UTF-8 (byte ${at + 1} is 0x${bytes[at]!.toString(16).padStart(2, '0')})`;
}
