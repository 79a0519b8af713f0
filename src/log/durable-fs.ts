/**
 * The few file-system moves that durability rests on. A file's data is durable after fdatasync;
 * its name (creation, rename, deletion) only after an fsync of the folder that holds it.
 */
import { fdatasync, readSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { assert } from '../assert.js';

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `dir` and missing parents, making each new name durable in the folder above it. */
export async function ensureDir(dir: string): Promise<void> {
  const firstCreated = await mkdir(dir, { recursive: true });
  if (firstCreated === undefined) return;
  const created = resolve(dir);
  let parent = dirname(resolve(firstCreated));
  for (;;) {
    await fsyncDir(parent);
    if (parent === dirname(created)) return;
    parent = join(parent, relative(parent, created).split(sep)[0] ?? '');
  }
}

/** write() may write less than asked (large buffers, signals): loop until all of it is down. */
export async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number) {
  let written = 0;
  while (written < bytes.length) {
    const result = await handle.write(bytes, written, bytes.length - written, position + written);
    assert(result.bytesWritten > 0, 'write must make progress');
    written += result.bytesWritten;
  }
}

/**
 * writeFully without the thread pool: a small write only copies into the page cache, which
 * takes microseconds, less than the round trip to a pool thread and back.
 */
export function writeFullySync(fd: number, bytes: Uint8Array, position: number): void {
  let written = 0;
  while (written < bytes.length) {
    const n = writeSync(fd, bytes, written, bytes.length - written, position + written);
    assert(n > 0, 'write must make progress');
    written += n;
  }
}

/**
 * fdatasync on the thread pool, through the callback API: FileHandle.datasync() adds a promise
 * layer and a handle-tracking step to every commit.
 */
export function fdatasyncOnPool(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fdatasync(fd, (error) => {
      if (error === null) resolve();
      else reject(error);
    });
  });
}

/** Reads exactly `length` bytes at `position`, synchronously: read() must not wait on a queue. */
export function readFullySync(fd: number, length: number, position: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, bytes, done, length - done, position + done);
    if (n === 0) return bytes.subarray(0, done); // the file is shorter: the caller sees damage
    done += n;
  }
  return bytes;
}

/**
 * Replaces `dir/name` by `bytes` so that a crash leaves either the old file or the new one:
 * write a temporary file, sync it, rename it over the old one, sync the folder.
 */
export async function replaceFileAtomically(dir: string, name: string, bytes: Uint8Array) {
  const target = join(dir, name);
  const temporary = `${target}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await writeFully(handle, bytes, 0);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temporary, target);
  await fsyncDir(dir);
}

/** Leftovers of a replace or a snapshot save interrupted by a crash: never the real thing. */
export async function removeTemporary(path: string): Promise<void> {
  await rm(path, { force: true });
}
