import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { BoltTransport } from './transport.js';

/** Grace for a closing socket to flush its last FAILURE before it is destroyed. */
const CLOSE_GRACE_MS = 5_000;

function peerOf(socket: Socket): string {
  const host = socket.remoteAddress ?? 'unknown';
  return `${host.includes(':') ? `[${host}]` : host}:${socket.remotePort ?? 0}`;
}

/** Calls back when `socket` has written out its buffer, or closed (then nothing will drain). */
function onceSocketDrained(socket: Socket, callback: () => void): void {
  if (socket.destroyed || socket.writableLength === 0) {
    callback();
    return;
  }
  const done = (): void => {
    socket.off('drain', done);
    socket.off('close', done);
    callback();
  };
  socket.on('drain', done);
  socket.on('close', done);
}

export function tcpTransport(socket: Socket): BoltTransport {
  return {
    peer: peerOf(socket),
    write: (bytes) => {
      if (!socket.destroyed && socket.writable) socket.write(bytes);
    },
    bufferedBytes: () => socket.writableLength,
    onceDrained: (callback) => onceSocketDrained(socket, callback),
    pauseReading: () => socket.pause(),
    resumeReading: () => socket.resume(),
    close: () => {
      socket.end();
      setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
    },
  };
}

/**
 * Bolt over WebSocket: binary frames carry the same byte stream as TCP. Backpressure is read
 * from the raw socket under the WebSocket, which is where the frames queue.
 */
export function webSocketTransport(ws: WebSocket, socket: Socket): BoltTransport {
  return {
    peer: peerOf(socket),
    write: (bytes) => {
      if (ws.readyState === ws.OPEN) ws.send(bytes, { binary: true });
    },
    bufferedBytes: () => ws.bufferedAmount + socket.writableLength,
    onceDrained: (callback) => onceSocketDrained(socket, callback),
    pauseReading: () => ws.pause(),
    resumeReading: () => ws.resume(),
    close: () => {
      ws.close(1000);
      setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
    },
  };
}
