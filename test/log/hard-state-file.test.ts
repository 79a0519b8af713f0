import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssertionFailed } from '../../src/assert.js';
import { HardStateFile } from '../../src/log/index.js';
import { tempDir } from './helpers.js';

describe('HardStateFile', () => {
  it('starts at term 0 with no vote and commit 0', async () => {
    const file = await HardStateFile.open(await tempDir());
    expect(file.read()).toEqual({ term: 0, vote: null, commit: 0 });
  });

  it('returns after reopen the last state saved', async () => {
    const dir = await tempDir();
    const file = await HardStateFile.open(dir);
    await file.save({ term: 3, vote: 'core-2', commit: 17 });
    await Promise.all([
      file.save({ term: 4, vote: null, commit: 17 }),
      file.save({ term: 5, vote: 'core-1', commit: 40 }),
    ]);
    expect((await HardStateFile.open(dir)).read()).toEqual({ term: 5, vote: 'core-1', commit: 40 });
    expect(await readdir(dir)).toEqual(['hard-state']);
  });

  it('ignores a temporary file left by a crash during a save', async () => {
    const dir = await tempDir();
    await (await HardStateFile.open(dir)).save({ term: 2, vote: 'a', commit: 1 });
    await writeFile(join(dir, 'hard-state.tmp'), 'half written');
    const file = await HardStateFile.open(dir);
    expect(file.read()).toEqual({ term: 2, vote: 'a', commit: 1 });
    expect(await readdir(dir)).toEqual(['hard-state']);
  });

  it('refuses a damaged file with a message naming it', async () => {
    const dir = await tempDir();
    await (await HardStateFile.open(dir)).save({ term: 9, vote: 'b', commit: 3 });
    const path = join(dir, 'hard-state');
    const bytes = await readFile(path);
    bytes[bytes.length - 3]! ^= 1;
    await writeFile(path, bytes);
    await expect(HardStateFile.open(dir)).rejects.toThrow(
      `${path}: checksum mismatch; the Raft hard state is damaged`,
    );
  });

  it('asserts that the term never goes backwards', async () => {
    const file = await HardStateFile.open(await tempDir());
    await file.save({ term: 4, vote: null, commit: 0 });
    expect(() => file.save({ term: 3, vote: null, commit: 0 })).toThrow(AssertionFailed);
  });
});
