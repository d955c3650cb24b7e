import WebSocket from 'ws';

/**
 * One WebSocket text frame (server to client: FIN, opcode 1, unmasked) of
 * `text`, header and payload in one buffer, so that one event's message can
 * be written as is to every socket that receives the same bytes.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, header, 'utf8');
  return frame;
}

/** What ws keeps of the connection: its TCP socket (set once the handshake is done). */
interface Connected { _socket?: { write(chunk: Buffer): boolean } }

/**
 * The TCP socket of an open client connection that frames made by
 * `textFrame` may be written to as they are, or null when the connection
 * negotiated an extension (permessage-deflate frames differ per
 * connection; ws's own `send` then frames each message). Without
 * extensions ws's sender writes every frame whole, in call order, so a
 * frame written to this socket never lands inside another.
 */
export function rawSocketOf(socket: WebSocket): Connected['_socket'] | null {
  if (socket.readyState !== WebSocket.OPEN || socket.extensions !== '') return null;
  return (socket as unknown as Connected)._socket ?? null;
}
