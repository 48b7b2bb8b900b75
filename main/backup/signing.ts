import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConsoleError } from '../../shared/errors.js';
import { fsyncDirectory, translateDiskError } from '../platform/index.js';

/**
 * Signed manifests (DESIGN §7, issue 9 class 11): an Ed25519 signature over the exact bytes of manifest.json,
 * stored as the member manifest.sig (64 raw bytes), with the key's id in the manifest. The id is the SHA-256
 * of the public key's DER SubjectPublicKeyInfo, so it can be recomputed by hand:
 * `openssl pkey -pubin -in signing.pub -outform DER | sha256sum`. Keys are PEM files (PKCS#8 private,
 * SPKI public) that openssl reads as they are. Keys cross into worker threads as their PEM text.
 */

/** The private half, as the PEM text of its file: it lives in memory for one job and is never written anywhere. */
export interface SigningKeyInput {
  readonly privateKeyPem: string;
}

/** A trusted public key as it crosses into a worker: its PEM text (SPKI). */
export interface TrustedKeyInput {
  readonly publicKeyPem: string;
}

export const SIGNING_KEY_FILE = 'signing.key';
export const PUBLIC_KEY_FILE = 'signing.pub';
/** A key file is a few hundred bytes; anything much larger is not one. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** The id of a key (public or private: the public half's): SHA-256 hex of its DER SubjectPublicKeyInfo. */
export function signingKeyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

function requireEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new ConsoleError('INVALID_INPUT', `${what} is a ${key.asymmetricKeyType ?? 'symmetric'} key, not an Ed25519 key`);
  return key;
}

/** The private key in PEM text (PKCS#8, as keygen writes it). INVALID_INPUT for anything else. */
export function parseSigningKey(pem: string, what = 'the signing key'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new ConsoleError('INVALID_INPUT', `${what} is not a PEM private key (${(error as Error).message}): use the signing.key that \`pconsole backup keygen\` wrote`);
  }
  return requireEd25519(key, what);
}

/** A trusted key in PEM text: a public key (SPKI), or a private key whose public half is meant. */
export function parseTrustedKey(pem: string, what = 'the trusted key'): { readonly key: KeyObject; readonly keyId: string; readonly publicKeyPem: string } {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new ConsoleError('INVALID_INPUT', `${what} is not a PEM public key (${(error as Error).message}): use the signing.pub that \`pconsole backup keygen\` wrote`);
  }
  requireEd25519(key, what);
  return { key, keyId: signingKeyIdOf(key), publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Reads a small key file: NOT_FOUND when it cannot be read, INVALID_INPUT when it is far too large to be a key. */
export function readKeyFile(path: string, what: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (error) {
    throw new ConsoleError('NOT_FOUND', `cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { path });
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) throw new ConsoleError('INVALID_INPUT', `the ${what} ${path} is not a file`, { path });
    if (s.size > MAX_KEY_FILE_BYTES) throw new ConsoleError('INVALID_INPUT', `the ${what} ${path} is ${s.size} bytes: not a key file`, { path });
    const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length <= MAX_KEY_FILE_BYTES; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_KEY_FILE_BYTES) throw new ConsoleError('INVALID_INPUT', `the ${what} ${path} is larger than ${MAX_KEY_FILE_BYTES} bytes: not a key file`, { path });
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** `--sign-key <file>`: the private key's PEM, checked to be an Ed25519 key before any work starts. */
export function readSigningKeyFile(path: string): SigningKeyInput {
  const pem = readKeyFile(path, 'signing key file');
  parseSigningKey(pem, `the signing key file ${path}`);
  return { privateKeyPem: pem };
}

/** `--trust-key <file>`: the public key (or the private key, whose public half is taken), as SPKI PEM. */
export function readTrustedKeyFile(path: string): TrustedKeyInput & { readonly keyId: string } {
  const { publicKeyPem, keyId } = parseTrustedKey(readKeyFile(path, 'trusted key file'), `the trusted key file ${path}`);
  return { publicKeyPem, keyId };
}

/** The 64-byte Ed25519 signature of the manifest's exact bytes. */
export function signManifest(manifestBytes: Buffer, key: KeyObject): Buffer {
  return sign(null, manifestBytes, key);
}

export function manifestSignatureHolds(manifestBytes: Buffer, signature: Buffer, key: KeyObject): boolean {
  if (signature.length !== 64) return false;
  try {
    return verify(null, manifestBytes, key, signature);
  } catch {
    return false;
  }
}

/** A new key pair in memory. */
export function generateSigningKeyPair(): { readonly privateKeyPem: string; readonly publicKeyPem: string; readonly keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: signingKeyIdOf(publicKey),
  };
}

/** A folder or file the key pair cannot be written to: a full disk, else bad input naming the path. */
function cannotWrite(error: unknown, path: string): unknown {
  const translated = translateDiskError(error, path, 'no key was written');
  if (translated !== error) return translated;
  return new ConsoleError('INVALID_INPUT', `cannot write the key pair at ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { path });
}

export interface WrittenKeyPair {
  readonly privateKeyFile: string;
  readonly publicKeyFile: string;
  readonly keyId: string;
}

/**
 * Writes a new key pair into `dir` (created when missing): `signing.key` (the private key, mode 0600, created
 * exclusively so no existing key is ever overwritten) and `signing.pub` (the public key, 0644), both fsynced.
 * An existing file of either name is INVALID_INPUT and nothing is written.
 */
export async function writeSigningKeyPair(dir: string): Promise<WrittenKeyPair> {
  const folder = resolve(dir);
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    // mkdir -p answers EEXIST for a file (or device) of that name: say what is wrong with it.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ConsoleError('INVALID_INPUT', `${folder} is not a folder: give keygen a folder to write signing.key and signing.pub into`, { path: folder });
    throw cannotWrite(error, folder);
  }
  const pair = generateSigningKeyPair();
  const privateKeyFile = join(folder, SIGNING_KEY_FILE);
  const publicKeyFile = join(folder, PUBLIC_KEY_FILE);
  const created: string[] = [];
  try {
    for (const [path, text, mode] of [
      [privateKeyFile, pair.privateKeyPem, 0o600],
      [publicKeyFile, pair.publicKeyPem, 0o644],
    ] as const) {
      let handle;
      try {
        handle = await open(path, 'wx', mode);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new ConsoleError('INVALID_INPUT', `${path} already exists: keygen never overwrites a key; choose another folder`, { path });
        throw cannotWrite(error, path);
      }
      created.push(path);
      try {
        await handle.chmod(mode); // the umask may have taken bits off the mode given to open
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await fsyncDirectory(folder);
  } catch (error) {
    for (const path of created) await rm(path, { force: true });
    throw translateDiskError(error, folder, 'no key was written');
  }
  return { privateKeyFile, publicKeyFile, keyId: pair.keyId };
}
