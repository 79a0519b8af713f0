import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/quiver-process.js';
import { admin, newHome, removeHomes } from './admin-helpers.js';
import { startServing, type BackupServing } from './backup-process.js';

let source: BackupServing;
let backupDir: string;

/** A server whose store was bulk imported: a snapshot at index 1 and no log entry at all. */
beforeAll(async () => {
  const home = newHome();
  const csv = path.join(home, 'people.csv');
  const knows = path.join(home, 'knows.csv');
  fs.writeFileSync(csv, ['id:ID(P),name:string,age:int',
    ...Array.from({ length: 300 }, (_, i) => `${i},p${i},${i % 90}`)].join('\n'));
  fs.writeFileSync(knows, [':START_ID(P),:END_ID(P),since:int',
    ...Array.from({ length: 299 }, (_, i) => `${i + 1},${i},${2000 + (i % 20)}`)].join('\n'));
  const imported = await admin('import', `--home=${home}`, '--id-type=integer',
    `--nodes=Person=${csv}`, `--relationships=KNOWS=${knows}`, '--report-file',
    path.join(home, 'import.report'));
  expect(imported.code).toBe(0);
  source = await startServing(home, 'imported-backup-pw');
  backupDir = newHome('quiver-backups-');
});

afterAll(async () => {
  await source?.stop();
  removeHomes();
});

function backup() {
  return runCli('quiver-admin', ['backup', `--from=${source.backupAddress}`,
    `--backup-dir=${backupDir}`, '--name=imported']);
}

describe('backup of an imported store', () => {
  it('checks the streamed snapshot, then continues incrementally with nothing to fetch',
    async () => {
      const full = await backup();
      expect(full.code).toBe(0);
      expect(full.stdout).toMatch(/Full backup of 0 transactions; it stands at log index 1\./);
      expect(full.stdout).toMatch(
        /Consistency check passed: 300 nodes, 299 relationships at log index 1\./);
      const again = await backup();
      expect(again.code).toBe(0);
      expect(again.stdout).not.toMatch(/new full backup/);
      expect(again.stdout).toMatch(
        /Incremental backup of 0 transactions; it stands at log index 1\./);
      expect(again.stdout).toMatch(/Consistency check passed: 300 nodes, 299 relationships/);
    });
});
