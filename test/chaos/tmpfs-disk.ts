/**
 * A member's data directory on its own small tmpfs, so a chaos run can fill the disk under one
 * member: shrinking the tmpfs to what is in use makes every further write fail with ENOSPC, and
 * growing it back heals. Mounting needs root (CAP_SYS_ADMIN) on Linux; without it the disk
 * nemesis is not offered. Every mount is undone by unmount(), and lazily by an exit hook if
 * the harness dies first.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Room for a short run's log, snapshots and hard state. */
export const DISK_BYTES = 256 * 1024 * 1024;
const PAGE_BYTES = 4096;

const mounted = new Set<string>();
process.once('exit', () => {
  for (const dir of mounted) {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    } catch {
      // Nothing more can be done while exiting; the mount point is under the run's temp dir.
    }
  }
});

export function canMountTmpfs(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0;
}

function mountOptions(bytes: number): string {
  return `size=${Math.ceil(bytes / PAGE_BYTES) * PAGE_BYTES}`;
}

export function mountTmpfs(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', mountOptions(DISK_BYTES), 'tmpfs', dir],
    { stdio: 'pipe' });
  mounted.add(dir);
}

/** Bytes in use on the file system holding dir. */
export function usedBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return (stats.blocks - stats.bfree) * stats.bsize;
}

/** Shrinks (or grows) a mounted tmpfs; it cannot shrink below what is in use. */
export function resizeTmpfs(dir: string, bytes: number): void {
  execFileSync('mount', ['-o', `remount,${mountOptions(bytes)}`, dir], { stdio: 'pipe' });
}

export function unmount(dir: string): void {
  if (!mounted.has(dir)) return;
  execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  mounted.delete(dir);
}
