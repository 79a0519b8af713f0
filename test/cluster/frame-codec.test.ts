import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from '../../src/cluster/frame-codec.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

function decodeAll(decoder: FrameDecoder, chunks: Uint8Array[]): string[] {
  const out: string[] = [];
  for (const chunk of chunks) {
    const result = decoder.push(chunk);
    if ('error' in result) throw new Error(result.error.kind);
    out.push(...result.payloads.map(text));
  }
  return out;
}

describe('raft frames', () => {
  const first = encodeFrame(bytes('hello'));
  const second = encodeFrame(bytes('world!'));
  const both = new Uint8Array([...first, ...second]);

  it('decodes two frames that arrive in one chunk', () => {
    expect(decodeAll(new FrameDecoder(1024), [both])).toEqual(['hello', 'world!']);
  });

  it('hands out a frame that lies within one chunk as a view of it, without a copy', () => {
    const result = new FrameDecoder(1024).push(both);
    if ('error' in result) throw new Error(result.error.kind);
    expect(result.payloads.map((p) => p.buffer === both.buffer)).toEqual([true, true]);
  });

  it('decodes the same bytes split at every offset', () => {
    for (let cut = 0; cut <= both.length; cut += 1) {
      const parts = [both.subarray(0, cut), both.subarray(cut)];
      expect(decodeAll(new FrameDecoder(1024), parts)).toEqual(['hello', 'world!']);
    }
  });

  it('decodes bytes arriving one at a time', () => {
    const singles = [...both].map((b) => new Uint8Array([b]));
    expect(decodeAll(new FrameDecoder(1024), singles)).toEqual(['hello', 'world!']);
  });

  it('refuses a frame whose checksum does not match', () => {
    const corrupt = new Uint8Array(first);
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] ?? 0) ^ 0xff;
    expect(new FrameDecoder(1024).push(corrupt)).toEqual({ error: { kind: 'bad-checksum' } });
  });

  it('refuses a header announcing more than the limit before buffering it', () => {
    const header = new Uint8Array([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    expect(new FrameDecoder(1024).push(header)).toEqual({
      error: { kind: 'frame-too-large', bytes: 0x7fffffff, bytesMax: 1024 },
    });
  });

  it('refuses an unknown version', () => {
    const frame = encodeFrame(bytes('x'));
    frame[8] = 9;
    const result = new FrameDecoder(1024).push(frame);
    // The checksum covers the version, so a changed version is caught as corruption first.
    expect(result).toEqual({ error: { kind: 'bad-checksum' } });
  });
});
