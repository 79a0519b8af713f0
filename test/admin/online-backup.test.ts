import fs from 'node:fs';
import path from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/quiver-process.js';
import { flipByte, newHome, removeHomes } from './admin-helpers.js';
import { startServing, type BackupServing } from './backup-process.js';

const PASSWORD = 'backup-test-pw';
let source: BackupServing;
let driver: Driver;
let backupDir: string;

beforeAll(async () => {
  source = await startServing(newHome(), PASSWORD);
  driver = neo4j.driver(source.boltUrl, neo4j.auth.basic('neo4j', PASSWORD));
  const system = driver.session({ database: 'system' });
  await system.run("CREATE USER alice SET PASSWORD 'alice-secret' CHANGE NOT REQUIRED");
  await system.close();
  await driver.executeQuery('UNWIND range(1, 3000) AS i CREATE (:Seed {i: i, name: "s" + i})');
  backupDir = newHome('quiver-backups-');
});

afterAll(async () => {
  await driver?.close();
  await source?.stop();
  removeHomes();
});

/** Writes (:W {i}) one after another until stopped; `acked` grows as each commit returns. */
function startWriter(): { acked: number[]; reached: (count: number) => Promise<void>;
  stop: () => Promise<void> } {
  const acked: number[] = [];
  let stopped = false;
  const waiting: { count: number; resolve: () => void }[] = [];
  const done = (async () => {
    const session = driver.session();
    for (let i = 0; !stopped; i++) {
      await session.run('CREATE (:W {i: $i})', { i: neo4j.int(i) });
      acked.push(i);
      for (const w of waiting.filter((x) => acked.length >= x.count)) w.resolve();
    }
    await session.close();
  })();
  return {
    acked,
    reached: (count) => new Promise((resolve) => {
      if (acked.length >= count) resolve();
      else waiting.push({ count, resolve });
    }),
    stop: async () => { stopped = true; await done; },
  };
}

async function writesIn(url: string, password = PASSWORD): Promise<number[]> {
  const reader = neo4j.driver(url, neo4j.auth.basic('neo4j', password));
  try {
    const { records } = await reader.executeQuery('MATCH (w:W) RETURN w.i AS i ORDER BY i');
    return records.map((r) => (r.get('i') as { toNumber(): number }).toNumber());
  } finally {
    await reader.close();
  }
}

async function count(url: string, label: string): Promise<number> {
  const reader = neo4j.driver(url, neo4j.auth.basic('neo4j', PASSWORD));
  try {
    const { records } = await reader.executeQuery(`MATCH (n:${label}) RETURN count(n) AS n`);
    return (records[0]?.get('n') as { toNumber(): number }).toNumber();
  } finally {
    await reader.close();
  }
}

function backup(name: string) {
  return runCli('quiver-admin', ['backup', `--from=${source.backupAddress}`,
    `--backup-dir=${backupDir}`, `--name=${name}`, '--check-consistency=true']);
}

describe('online backup of a running standalone server', () => {
  it('takes a full backup while a client writes, then restores and starts it', async () => {
    const writer = startWriter();
    await writer.reached(20);
    const ackedBeforeBackup = writer.acked.length;
    const first = await backup('nightly');
    await writer.stop();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout)
      .toMatch(/^Previous backup not found, a new full backup will be performed\.\n/);
    expect(first.stdout).toMatch(new RegExp('Start receiving store files\\n' +
      '(  Receiving store files: \\d+% \\(.*\\)\\n)+Finish receiving store files'));
    expect(first.stdout).toMatch(/Consistency check passed: \d+ nodes/);
    expect(first.stdout.endsWith('Backup complete.\n')).toBe(true);

    const home = newHome();
    const restored = await runCli('quiver-admin', ['restore',
      `--from=${path.join(backupDir, 'nightly')}`, '--database=neo4j', '--home', home]);
    expect(restored).toMatchObject({ code: 0, stderr: '' });
    const target = await startServing(home, 'another-initial-password');
    try {
      const writes = await writesIn(target.boltUrl);
      // Sequential writes: the backup holds a prefix of them, at least all acknowledged first.
      expect(writes).toEqual([...writes.keys()]);
      expect(writes.length).toBeGreaterThanOrEqual(ackedBeforeBackup);
      expect(writes.length).toBeLessThanOrEqual(writer.acked.length);
      expect(await count(target.boltUrl, 'Seed')).toBe(3000);
      const alice = neo4j.driver(target.boltUrl, neo4j.auth.basic('alice', 'alice-secret'));
      await expect(alice.executeQuery('RETURN 1 AS one')).resolves.toBeDefined();
      await alice.close();
    } finally {
      await target.stop();
    }

    await driver.executeQuery('UNWIND range(1, 50) AS i CREATE (:Later {i: i})');
    const second = await backup('nightly');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Previous backup found, trying incremental backup\.\n/);
    expect(second.stdout).not.toMatch(/Start receiving store files/);
    expect(second.stdout).toMatch(/Incremental backup of [1-9]\d* transactions/);
    expect((await runCli('quiver-admin', ['restore', `--from=${path.join(backupDir, 'nightly')}`,
      '--force', '--home', home])).code).toBe(0);
    const level = await startServing(home, 'x-initial-password');
    try {
      expect(await writesIn(level.boltUrl)).toEqual(writer.acked);
      expect(await count(level.boltUrl, 'Later')).toBe(50);
    } finally {
      await level.stop();
    }
  });

  it('detects a flipped byte on restore and on check, and replaces it on the next backup',
    async () => {
      expect((await backup('weekly')).code).toBe(0);
      const copy = path.join(backupDir, 'weekly');
      const snapDir = path.join(copy, 'snapshots');
      const [snap] = fs.readdirSync(snapDir);
      flipByte(path.join(snapDir, snap ?? ''), 100);
      const home = newHome();
      const restored = await runCli('quiver-admin', ['restore', `--from=${copy}`, '--home', home]);
      expect(restored.code).toBe(1);
      expect(restored.stderr).toMatch(
        /^command failed: The backup in .*weekly is damaged: .*\.snap: checksum mismatch/);
      expect(fs.existsSync(path.join(home, 'data', 'databases', 'neo4j'))).toBe(false);
      const checked = await runCli('quiver-admin', ['check-consistency', `--backup=${copy}`]);
      expect(checked.code).toBe(1);
      expect(checked.stdout).toMatch(/checksum mismatch \(the file is damaged\)/);
      const again = await backup('weekly');
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/Previous backup is not usable .*moved to .*weekly\.err\.0/);
      expect(fs.existsSync(path.join(backupDir, 'weekly.err.0'))).toBe(true);
    });

  it('fails with the reason when no backup server answers', async () => {
    const result = await runCli('quiver-admin', ['backup', '--from=127.0.0.1:1',
      `--backup-dir=${backupDir}`, '--name=none']);
    expect(result.code).toBe(1);
    expect(result.stderr)
      .toMatch(/^command failed: cannot connect to the backup server at 127\.0\.0\.1:1/);
    expect(result.stdout).not.toMatch(/Backup complete/);
  });
});
