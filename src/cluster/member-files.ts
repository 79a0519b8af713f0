/**
 * A member's identity on disk: its member id (made once) and the id of the cluster it is bound
 * to (written when it bootstraps or joins; `quiver-admin unbind` removes it).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

async function readText(path: string): Promise<string | null> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return text.length > 0 ? text : null;
  } catch {
    return null;
  }
}

/** Written aside and renamed, so a crash never leaves an empty or half-written id. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text, { flush: true });
  await rename(`${path}.tmp`, path);
}

export async function memberId(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'member-id');
  const existing = await readText(file);
  if (existing) return existing;
  const id = randomUUID();
  await writeAtomically(file, `${id}\n`);
  return id;
}

export function readClusterId(dir: string): Promise<string | null> {
  return readText(join(dir, 'cluster-id'));
}

export async function bindClusterId(dir: string, clusterId: string): Promise<void> {
  await writeAtomically(join(dir, 'cluster-id'), `${clusterId}\n`);
}

export async function unbind(dir: string): Promise<void> {
  await rm(join(dir, 'cluster-id'), { force: true });
}
