/**
 * Identities this program does not unwrap itself (age's post-quantum AGE-SECRET-KEY-PQ-1…) are handed to
 * the age-encryption library, which only sees the header: the payload is still decrypted natively.
 */
export async function unwrapWithLibrary(header: Buffer, identities: readonly string[]): Promise<Buffer | undefined> {
  if (identities.length === 0) return undefined;
  const { Decrypter } = await import('age-encryption');
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  try {
    return Buffer.from(await decrypter.decryptHeader(new Uint8Array(header)));
  } catch {
    return undefined;
  }
}
