/**
 * A backup folder: a database folder (`snapshots/` with one snapshot, `log/` with the entries
 * after it) plus `backup.json`, a manifest naming every file with its size and CRC-32C and
 * carrying a checksum of its own. Restore and check verify every byte against it before
 * trusting the folder; an incremental backup verifies before it appends.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QuiverError } from '../errors/quiver-error.js';
import { crc32c } from '../log/crc32c.js';
import { replaceFileAtomically } from '../log/durable-fs.js';

export const BACKUP_FORMAT = 'quiver-backup/1';
export const MANIFEST_FILE = 'backup.json';
const DATA_FOLDERS = ['snapshots', 'log'] as const;
/** A manifest names a few files; a bigger one was not written by us. */
const MANIFEST_BYTES_MAX = 1024 * 1024;

export interface BackupFile {
  /** Relative to the backup folder, with `/` separators. */
  readonly path: string;
  readonly bytes: number;
  readonly crc32c: number;
}

export interface BackupState {
  readonly database: string;
  readonly storeId: string;
  /** host:port the backup was taken from. */
  readonly source: string;
  /** 0 when the backup has no snapshot (the source had applied nothing). */
  readonly snapshotIndex: number;
  readonly lastIndex: number;
  readonly lastTerm: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface BackupManifest extends BackupState {
  readonly format: string;
  readonly files: readonly BackupFile[];
}

async function dataFiles(dir: string): Promise<string[]> {
  const paths: string[] = [];
  for (const folder of DATA_FOLDERS) {
    const names = await readdir(join(dir, folder)).catch(() => [] as string[]);
    for (const name of names.sort()) paths.push(`${folder}/${name}`);
  }
  return paths;
}

async function describeFile(dir: string, path: string): Promise<BackupFile> {
  const bytes = await readFile(join(dir, path));
  return { path, bytes: bytes.length, crc32c: crc32c(bytes) };
}

/** Writes the manifest for the folder's current files: the backup is complete from here on. */
export async function sealBackup(dir: string, state: BackupState): Promise<BackupManifest> {
  const files: BackupFile[] = [];
  for (const path of await dataFiles(dir)) files.push(await describeFile(dir, path));
  const manifest: BackupManifest = { format: BACKUP_FORMAT, ...state, files };
  const body = JSON.stringify(manifest);
  const text = `${JSON.stringify({ manifest, crc32c: crc32c(Buffer.from(body, 'utf8')) })}\n`;
  await replaceFileAtomically(dir, MANIFEST_FILE, Buffer.from(text, 'utf8'));
  return manifest;
}

/** The manifest, or null when the folder holds none (not a backup); damage throws. */
export async function readManifest(dir: string): Promise<BackupManifest | null> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    return null;
  }
  if (text.length > MANIFEST_BYTES_MAX) throw damaged(dir, 'the manifest is too big');
  let outer: unknown;
  try {
    outer = JSON.parse(text);
  } catch {
    throw damaged(dir, 'the manifest is not JSON');
  }
  const { manifest, crc32c: sum } = (outer ?? {}) as { manifest?: unknown; crc32c?: unknown };
  if (crc32c(Buffer.from(JSON.stringify(manifest), 'utf8')) !== sum) {
    throw damaged(dir, 'the manifest checksum does not match');
  }
  const m = manifest as Partial<BackupManifest> | undefined;
  if (m?.format !== BACKUP_FORMAT || !Array.isArray(m.files) || typeof m.storeId !== 'string' ||
    !Number.isSafeInteger(m.lastIndex) || !Number.isSafeInteger(m.snapshotIndex)) {
    throw damaged(dir, `the manifest is not a ${BACKUP_FORMAT} manifest`);
  }
  return m as BackupManifest;
}

/** Every problem with the folder's files against its manifest (empty when all verify). */
export async function verifyBackupFiles(dir: string, manifest: BackupManifest): Promise<string[]> {
  const problems: string[] = [];
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const path of await dataFiles(dir)) {
    if (!listed.has(path)) problems.push(`${join(dir, path)}: not part of the backup`);
  }
  for (const file of manifest.files) {
    const actual = await describeFile(dir, file.path).catch(() => null);
    if (actual === null) problems.push(`${join(dir, file.path)}: missing`);
    else if (actual.bytes !== file.bytes) {
      problems.push(`${join(dir, file.path)}: ${actual.bytes} bytes, the manifest says ` +
        `${file.bytes}`);
    } else if (actual.crc32c !== file.crc32c) {
      problems.push(`${join(dir, file.path)}: checksum mismatch (the file is damaged)`);
    }
  }
  return problems;
}

/** The manifest of a backup whose files all verify; throws StorageDamageDetected otherwise. */
export async function openVerifiedBackup(dir: string): Promise<BackupManifest> {
  const manifest = await readManifest(dir);
  if (manifest === null) {
    throw new QuiverError('DatabaseNotFound', `Source directory is not a database backup [${dir}]`);
  }
  const problems = await verifyBackupFiles(dir, manifest);
  if (problems.length > 0) throw damaged(dir, problems.join('; '));
  return manifest;
}

function damaged(dir: string, why: string): QuiverError {
  return new QuiverError('StorageDamageDetected', `The backup in ${dir} is damaged: ${why}`);
}
