import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ChunkDecoder } from '../../src/bolt/chunk-decoder.js';
import { startLive, BASIC_AUTH, type Live } from './live.js';
import { handshakeFor } from './raw-client.js';
import { msg } from './wire.js';

let live: Live;
beforeAll(async () => {
  live = await startLive();
});
afterAll(async () => {
  await live.server.close();
});

describe('Bolt over WebSocket on the Bolt port', () => {
  it('runs a query through binary WebSocket frames', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${live.server.port}`);
    const received: Buffer[] = [];
    const decoder = new ChunkDecoder(1 << 20);
    const messages: Uint8Array[] = [];
    let handshakeDone = false;
    const enough = new Promise<void>((resolve) => {
      ws.on('message', (data: Buffer) => {
        if (!handshakeDone) {
          received.push(data);
          handshakeDone = true;
          ws.send(Uint8Array.from([...msg.hello({ user_agent: 'ws', ...BASIC_AUTH }),
            ...msg.run('RETURN 1 AS n'), ...msg.pull(-1n)]));
          return;
        }
        for (const event of decoder.push(data)) {
          if (event.kind === 'message') messages.push(event.bytes);
        }
        if (messages.length >= 4) resolve();
      });
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(Uint8Array.from(handshakeFor(4, 4)));
    await enough;
    expect([...(received[0] ?? [])]).toEqual([0, 0, 4, 4]);
    // HELLO SUCCESS, RUN SUCCESS, RECORD [1], final SUCCESS.
    expect(messages.map((m) => m[1])).toEqual([0x70, 0x70, 0x71, 0x70]);
    expect([...(messages[2] ?? [])]).toEqual([0xb1, 0x71, 0x91, 0x01]);
    ws.close();
  });

  it('answers plain HTTP with 400 naming the Bolt port', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve) => {
      request({ host: '127.0.0.1', port: live.server.port, path: '/' }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => { text += chunk.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      }).end();
    });
    expect(status).toBe(400);
    expect(body).toContain('Bolt port');
  });
});
