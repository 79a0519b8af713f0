import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterLayout, memberConf } from '../../src/cli/server/cluster-command.js';
import { loadConfig } from '../../src/config/load-config.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/fake-quiver.ts', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-cluster-'));

async function quiver(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture, ...args],
      { env: { ...process.env, QUIVER_START_WAIT: '30' } });
    return { code: 0, stdout };
  } catch (thrown) {
    const failed = thrown as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

afterAll(async () => {
  await quiver('cluster', 'down', '--dir', dir);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('cluster layout', () => {
  it('gives member i ports derived from i and a conf the loader accepts', () => {
    const members = clusterLayout({ cores: 3, replicas: 1, dir });
    expect(members.map((member) => [member.name, member.ports.bolt, member.ports.http,
      member.ports.raft])).toEqual([['core-1', 11687, 11474, 7010], ['core-2', 12687, 12474, 7020],
      ['core-3', 13687, 13474, 7030], ['replica-1', 14687, 14474, 7040]]);
    const cores = members.slice(0, 3);
    const home = path.join(dir, 'layout-check');
    fs.mkdirSync(path.join(home, 'conf'), { recursive: true });
    fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'), memberConf(members[3]!, cores));
    const config = loadConfig({ home, env: {} });
    expect(config.mode).toBe('READ_REPLICA');
    expect(config.cluster.initialMembers.map((m) => m.port)).toEqual([5010, 5020, 5030]);
    expect(config.cluster.formationCoreCountMin).toBe(3);
    expect(config.bolt.listen.port).toBe(14687);
    fs.rmSync(home, { recursive: true });
  });
});

describe('quiver cluster up / down', () => {
  it('starts every member, waits for the leader and prints roles and addresses', async () => {
    const up = await quiver('cluster', 'up', '--cores', '2', '--replicas', '1', '--dir', dir,
      '--wait', '30');
    expect(up.code).toBe(0);
    const lines = up.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^core-1 +LEADER +bolt:\/\/localhost:11687 +http:\/\/localhost:11474/);
    expect(lines[1]).toMatch(/^core-2 +FOLLOWER +bolt:\/\/localhost:12687/);
    expect(lines[2]).toMatch(/^replica-1 +READ_REPLICA +bolt:\/\/localhost:13687/);
    for (const name of ['core-1', 'core-2', 'replica-1']) {
      expect(fs.existsSync(path.join(dir, name, 'run', 'quiver.pid'))).toBe(true);
    }
    const down = await quiver('cluster', 'down', '--dir', dir);
    expect(down.code).toBe(0);
    expect(down.stdout.split('\n').filter((line) => line.endsWith(' stopped')).sort())
      .toEqual(['core-1 stopped', 'core-2 stopped', 'replica-1 stopped']);
    expect(fs.existsSync(path.join(dir, 'core-1', 'run', 'quiver.pid'))).toBe(false);
  });
});
