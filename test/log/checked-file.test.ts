import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckedFile, writeCheckedFile } from '../../src/log/checked-file.js';
import type { CheckedFileKind } from '../../src/log/checked-file.js';
import { tempDir } from './helpers.js';

const SNAPSHOT_LIKE: CheckedFileKind = {
  magic: Buffer.from('TESTKIND', 'latin1'), name: 'test file', metaChecksumFrom: 12,
};
const JSON_META = Buffer.from('{"index":4}');
const DATA = [Buffer.from('first chunk, '), Buffer.from('second chunk')];

async function written(kind: CheckedFileKind, dataBytesMax = 1000): Promise<Buffer> {
  const path = join(await tempDir(), 'file');
  const handle = await open(path, 'w');
  try {
    const size = await writeCheckedFile(handle, kind, JSON_META, DATA, dataBytesMax);
    expect(size).toBe(32 + JSON_META.length + 25);
  } finally {
    await handle.close();
  }
  return readFile(path);
}

describe('checked files', () => {
  it('read back the metadata and the streamed data', async () => {
    for (const metaChecksumFrom of [12, 32] as const) {
      const bytes = await written({ ...SNAPSHOT_LIKE, metaChecksumFrom });
      const parts = readCheckedFile({ ...SNAPSHOT_LIKE, metaChecksumFrom }, bytes, 1000);
      if (typeof parts === 'string') throw new Error(parts);
      expect(parts.json.toString()).toBe('{"index":4}');
      expect(parts.data.toString()).toBe('first chunk, second chunk');
    }
  });

  it('say what is wrong with a damaged, cut or foreign file', async () => {
    const bytes = await written(SNAPSHOT_LIKE);
    const read = (b: Buffer, max = 1000): unknown => readCheckedFile(SNAPSHOT_LIKE, b, max);
    const flipped = (at: number): Buffer => {
      const copy = Buffer.from(bytes);
      copy[at]! ^= 0x01;
      return copy;
    };
    expect(read(bytes.subarray(0, 20))).toBe('shorter than its header');
    expect(read(flipped(0))).toBe('not a test file (bad magic)');
    expect(read(flipped(33))).toBe('metadata checksum mismatch');
    expect(read(flipped(16))).toBe('metadata checksum mismatch'); // the lengths are covered too
    expect(read(flipped(bytes.length - 1))).toBe('data checksum mismatch');
    expect(read(bytes.subarray(0, bytes.length - 3))).toMatch(/header says 25 \(truncated\?\)/);
    expect(read(bytes, 10)).toBe('data of 25 bytes over 10');
  });

  it('cover only the metadata when the kind says so, as dump archives do', async () => {
    const kind = { ...SNAPSHOT_LIKE, metaChecksumFrom: 32 } as const;
    const bytes = await written(kind);
    bytes[16]! ^= 0x01; // the data length, outside this kind's metadata checksum
    expect(readCheckedFile(kind, bytes, 1000)).toMatch(/header says/);
  });

  it('refuse to write more data than allowed', async () => {
    await expect(written(SNAPSHOT_LIKE, 20)).rejects.toThrow('test file is larger than 20 bytes');
  });
});
