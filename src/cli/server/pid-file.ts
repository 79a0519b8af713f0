/**
 * The pid file `<run>/quiver.pid` that `start`, `stop` and `status` share with the running
 * server, and the liveness check behind them (a signal-0 probe, as Neo4j's script does).
 */
import fs from 'node:fs';
import path from 'node:path';

export const PID_FILE_NAME = 'quiver.pid';

export function pidFilePath(runDirectory: string): string {
  return path.join(runDirectory, PID_FILE_NAME);
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    // EPERM: the process exists but belongs to someone else.
    return (thrown as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a live server, or null; a pid file left by a dead process counts as none. */
export function readRunningPid(runDirectory: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(pidFilePath(runDirectory), 'utf8');
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  return isProcessAlive(pid) ? pid : null;
}

export function writePidFile(runDirectory: string, pid: number): void {
  fs.mkdirSync(runDirectory, { recursive: true });
  fs.writeFileSync(pidFilePath(runDirectory), `${pid}\n`);
}

/** Removes the pid file only if it still names `pid`, so a newer server's file survives. */
export function removePidFile(runDirectory: string, pid: number): void {
  const file = pidFilePath(runDirectory);
  try {
    if (Number(fs.readFileSync(file, 'utf8').trim()) === pid) fs.rmSync(file);
  } catch {
    // Already gone: nothing to clean up.
  }
}
