import { scrypt } from 'node:crypto';

/**
 * scrypt(N = 2^logN, r = 8, p = 1, dkLen = 32) with node:crypto, off the calling thread (libuv's pool).
 * Native scrypt takes well under a second at age's default 2^18, where a JavaScript one takes several.
 */
export function scryptKey(passphrase: string, salt: Buffer, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    // 128·N·r bytes of working memory, plus headroom.
    scrypt(Buffer.from(passphrase, 'utf8'), salt, 32, { N, r: 8, p: 1, maxmem: 128 * N * 8 + 32 * 1024 * 1024 }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}
