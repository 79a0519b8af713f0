/**
 * The disk's floor for one durable commit at one client: append a small record and fdatasync
 * it, again and again, with nothing else. A single client waits for each commit's fsync before
 * sending the next, so no database on this disk commits durably faster than this loop; Q6's
 * target (5k durable single-node writes/s at one client) is measured against it.
 */
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface DiskFloor {
  readonly method: string;
  readonly appends: number;
  readonly perSecond: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

const RECORD_BYTES = 256;

/** Runs for about `seconds` in `dir` (the folder the database's files go in). */
export function measureDiskFloor(dir: string, seconds = 2): DiskFloor {
  const file = join(dir, 'disk-floor.bin');
  const fd = openSync(file, 'w');
  const record = Buffer.alloc(RECORD_BYTES, 7);
  const latenciesUs: number[] = [];
  const started = performance.now();
  try {
    while (performance.now() - started < seconds * 1000) {
      const t = performance.now();
      writeSync(fd, record);
      fdatasyncSync(fd);
      latenciesUs.push((performance.now() - t) * 1000);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  const elapsedS = (performance.now() - started) / 1000;
  latenciesUs.sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round(latenciesUs[Math.floor(q * (latenciesUs.length - 1))] ?? 0);
  return { method: `write ${RECORD_BYTES} B + fdatasync, one at a time`,
    appends: latenciesUs.length, perSecond: Math.round(latenciesUs.length / elapsedS),
    p50Us: at(0.5), p99Us: at(0.99) };
}
