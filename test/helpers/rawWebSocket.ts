import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client below the `ws` library: it does the upgrade by hand and then writes whatever bytes
 * a test gives it, so frames that no library would send (unmasked, reserved opcodes, a length past the
 * server's limit without the payload) can be sent. It reads back only what tests look at: the code of
 * the server's close frame, and when the TCP connection ends.
 */
export interface RawWebSocket {
  write(bytes: Buffer): void;
  /** The code of the server's close frame, or undefined if the connection ended without one. */
  readonly closed: Promise<number | undefined>;
  destroy(): void;
}

export function openRawWebSocket(port: number, headers: Readonly<Record<string, string>>): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    let closeCode: number | undefined;
    const closed = new Promise<number | undefined>((done) => socket.once('close', () => done(closeCode)));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      const lines = [
        'GET /api HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = buffer.subarray(0, end).toString('latin1').split('\r\n')[0] ?? '';
        buffer = buffer.subarray(end + 4);
        if (!status.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(`upgrade refused: ${status}`));
          return;
        }
        upgraded = true;
        resolve({ write: (bytes) => socket.write(bytes), closed, destroy: () => socket.destroy() });
      }
      // Server frames are unmasked; only a close frame's code matters here (payload lengths < 126).
      while (buffer.length >= 2) {
        const length = buffer[1]! & 0x7f;
        if (length >= 126 || buffer.length < 2 + length) break;
        if ((buffer[0]! & 0x0f) === 0x8 && length >= 2) closeCode = buffer.readUInt16BE(2);
        buffer = buffer.subarray(2 + length);
      }
    });
    socket.once('close', () => {
      if (!upgraded) reject(new Error('the connection closed before the upgrade'));
    });
  });
}

/** A client frame (masked, as clients must) with the given first byte (FIN, RSV, opcode) and payload. */
export function clientFrame(firstByte: number, payload: Buffer, options: { readonly masked?: boolean } = {}): Buffer {
  const masked = options.masked ?? true;
  const length = payload.length;
  const header = length < 126 ? Buffer.from([firstByte, length]) : Buffer.from([firstByte, 126, length >> 8, length & 0xff]);
  if (length >= 65_536) throw new Error('clientFrame writes payloads below 64 KiB');
  if (!masked) return Buffer.concat([header, payload]);
  header[1]! |= 0x80;
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

/** The header of a masked text frame that announces `length` bytes (64-bit length), without its payload. */
export function announcedFrameHeader(length: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  randomBytes(4).copy(header, 10);
  return header;
}
