/**
 * A three-core cluster of real processes with the cluster SSL policy on (mutual TLS with a
 * test CA on raft and discovery) and a cluster secret: it forms and fails over. This test's own
 * process plays the intruder: with a certificate from another CA, or with the wrong secret, it
 * is refused on discovery, raft and backup, each refusal is in logs/security.log with its
 * address, and the cluster's log is unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/admin/backup-client.js';
import {
  Discovery, type DiscoveryOptions, type MemberAdvert,
} from '../../src/cluster/discovery.js';
import { realTimers } from '../../src/cluster/timers.js';
import { RaftTransport, TRANSPORT_DEFAULTS } from '../../src/cluster/transport.js';
import { asMemberId } from '../../src/raft/types.js';
import { channelForPolicy, type MemberChannel } from '../../src/security/member-channel.js';
import { waitFor } from '../helpers/cluster.js';
import {
  freePort, runCli, startQuiverServer, type QuiverServer,
} from '../helpers/quiver-process.js';
import { certificateSet, policyIn, SILENT, temporaryDir } from './fixtures.js';

const SECRET = 'a cluster secret of some length';
const PASSWORD = 'quiver-test';
const WAIT_MS = 60_000;

interface Ports { discovery: number; raft: number; transaction: number; backup: number }

let dir: string;
let ports: Ports[];
let members: (QuiverServer | null)[] = [];
const stoppers: (() => Promise<void>)[] = [];
const drivers: Driver[] = [];

async function portsFor(count: number): Promise<Ports[]> {
  const out: Ports[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ discovery: await freePort(), raft: await freePort(),
      transaction: await freePort(), backup: await freePort() });
  }
  return out;
}

function memberConf(own: Ports, certificates: string, secret: string): Record<string, string> {
  const seeds = [...ports.slice(0, 3), own].map((p) => `localhost:${p.discovery}`);
  return {
    'dbms.mode': 'CORE',
    'causal_clustering.initial_discovery_members': [...new Set(seeds)].join(','),
    'causal_clustering.minimum_core_cluster_size_at_formation': '3',
    'causal_clustering.minimum_core_cluster_size_at_runtime': '3',
    'causal_clustering.discovery_listen_address': `:${own.discovery}`,
    'causal_clustering.raft_listen_address': `:${own.raft}`,
    'causal_clustering.transaction_listen_address': `:${own.transaction}`,
    'causal_clustering.leader_election_timeout': '1000ms',
    'dbms.ssl.policy.cluster.enabled': 'true',
    'dbms.ssl.policy.cluster.base_directory': path.join(certificates, 'cluster'),
    'dbms.ssl.policy.backup.enabled': 'true',
    'dbms.ssl.policy.backup.base_directory': path.join(certificates, 'backup'),
    'dbms.backup.enabled': 'true',
    'dbms.backup.listen_address': `127.0.0.1:${own.backup}`,
    'dbms.cluster.secret': secret,
  };
}

function driverTo(member: QuiverServer, scheme: 'bolt' | 'neo4j'): Driver {
  const driver = neo4j.driver(`${scheme}://localhost:${member.boltPort}`,
    neo4j.auth.basic('neo4j', PASSWORD), { connectionTimeout: 3000 });
  drivers.push(driver);
  return driver;
}

async function overview(member: QuiverServer): Promise<{ id: string; role: string }[]> {
  const session = driverTo(member, 'bolt').session();
  try {
    const result = await session.run('CALL dbms.cluster.overview() YIELD id, role RETURN id, role');
    return result.records.map((r) =>
      ({ id: r.get('id') as string, role: r.get('role') as string }));
  } finally {
    await session.close();
  }
}

async function leaderOf(candidates: QuiverServer[]): Promise<QuiverServer> {
  return waitFor('a leader', async () => {
    for (const member of candidates) {
      const session = driverTo(member, 'bolt').session();
      try {
        const role = await session.run('CALL dbms.cluster.role()');
        if (role.records[0]?.get('role') === 'LEADER') return member;
      } finally {
        await session.close();
      }
    }
    return null;
  }, WAIT_MS);
}

async function personCount(member: QuiverServer): Promise<number> {
  const session = driverTo(member, 'bolt').session({ defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.run('MATCH (p:Person) RETURN count(p) AS n');
    return (result.records[0]?.get('n') as { toNumber(): number }).toNumber();
  } finally {
    await session.close();
  }
}

function securityLog(member: QuiverServer): string {
  const file = path.join(member.home, 'logs', 'security.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** The test process as a member would be: a channel from one of the two certificate sets. */
function channel(from: 'good' | 'rogue', scope: 'cluster' | 'backup'): MemberChannel {
  return channelForPolicy(policyIn(path.join(dir, from), scope, { clientAuth: 'REQUIRE' }),
    () => undefined);
}

function discoveryOptions(over: Pick<DiscoveryOptions, 'seeds' | 'channel' | 'secret'>):
  DiscoveryOptions {
  const advert: MemberAdvert = { memberId: 'rogue', clusterId: null, mode: 'CORE',
    discoveryAddress: 'localhost:1', raftAddress: 'localhost:2', boltAddress: 'localhost:3',
    httpAddress: 'localhost:4', groups: [], role: 'FOLLOWER', leaderId: null, term: 0,
    appliedIndex: 0 };
  return { listenHost: '127.0.0.1', listenPort: 0, self: () => advert, intervalMs: 300,
    nowMs: Date.now, log: () => undefined, ...over };
}

async function startRogue(discovery: Discovery): Promise<void> {
  stoppers.push(() => discovery.stop());
  await discovery.start();
}

function live(): QuiverServer[] {
  return members.filter((m): m is QuiverServer => m !== null);
}

beforeAll(async () => {
  dir = temporaryDir('cluster-tls');
  certificateSet(path.join(dir, 'good'), 'Quiver Test CA', ['cluster', 'backup']);
  certificateSet(path.join(dir, 'rogue'), 'Rogue CA', ['cluster', 'backup']);
  ports = await portsFor(3);
  // A shared, loaded machine can take long to start three processes from source.
  members = await Promise.all(ports.slice(0, 3).map((p) => startQuiverServer({
    password: PASSWORD, startTimeoutMs: 120_000,
    conf: memberConf(p, path.join(dir, 'good'), SECRET) })));
}, 150_000);

afterAll(async () => {
  await Promise.all(drivers.map((d) => d.close()));
  await Promise.all(stoppers.map((stop) => stop()));
  await Promise.all(live().map((m) => m.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a cluster with the cluster SSL policy on', () => {
  it('forms over mutual TLS and commits through the leader', async () => {
    const leader = await leaderOf(live());
    await waitFor('three members in the overview', async () =>
      ((await overview(leader)).length === 3 ? true : null), WAIT_MS);
    const session = driverTo(leader, 'bolt').session();
    try {
      await session.run("CREATE (:Person {name: 'Ada'})");
    } finally {
      await session.close();
    }
    expect(await personCount(leader)).toBe(1);
  });

  it('refuses a process with another CA and one with the wrong secret, and logs both',
    async () => {
      const leader = await leaderOf(live());
      const before = await overview(leader);
      const target = live()[0];
      const targetPorts = ports[members.indexOf(target ?? null)];
      if (!target || !targetPorts) throw new Error('no member is running');
      const rogue = channel('rogue', 'cluster');
      const good = channel('good', 'cluster');
      const seeds = [`localhost:${targetPorts.discovery}`];
      await startRogue(new Discovery(discoveryOptions({ seeds, channel: rogue, secret: SECRET })));
      await startRogue(new Discovery(discoveryOptions({ seeds, channel: good,
        secret: 'not the secret, but long enough' })));
      const raft = new RaftTransport({ ...TRANSPORT_DEFAULTS, clusterId: 'any',
        memberId: asMemberId('rogue'), listen: { host: '127.0.0.1', port: 0 },
        timers: realTimers, logger: SILENT, clusterSecret: SECRET, channel: rogue,
        onMessage: () => undefined, onUnreachable: () => undefined });
      stoppers.push(() => raft.close());
      await raft.start();
      raft.setPeer(asMemberId('target'), { host: 'localhost', port: targetPorts.raft });
      const logged = await waitFor('the refusals in security.log', async () => {
        const log = securityLog(target);
        return /Refused discovery peer 127\.0\.0\.1:\d+: TLS handshake failed/.test(log) &&
          /Refused discovery peer 127\.0\.0\.1:\d+: rogue does not hold the cluster secret/
            .test(log) && /Refused raft peer 127\.0\.0\.1:\d+: TLS handshake failed/.test(log)
          ? log : null;
      }, WAIT_MS);
      expect(logged).toContain('Refused discovery peer');
      const after = await overview(leader);
      expect(after.map((m) => m.id).sort()).toEqual(before.map((m) => m.id).sort());
      expect(await personCount(leader)).toBe(1);
    });

  it('serves a backup only to a client with the secret and a trusted certificate', async () => {
    const source = live()[0];
    const backupPort = ports[members.indexOf(source ?? null)]?.backup;
    if (!source || backupPort === undefined) throw new Error('no member is running');
    const backups = path.join(dir, 'backups');
    fs.mkdirSync(backups);
    const attempt = (secret: string, from: 'good' | 'rogue'): Promise<unknown> => runBackup({
      host: 'localhost', port: backupPort, backupDir: backups, name: `${from}-${secret.length}`,
      database: 'neo4j', progress: () => undefined, channel: channel(from, 'backup'), secret });
    await expect(attempt('not the secret, but long enough', 'good'))
      .rejects.toThrow(/refused the backup/);
    await expect(attempt(SECRET, 'rogue')).rejects.toThrow();
    // The member notices a handshake its client abandoned a moment after the client does.
    await waitFor('both backup refusals in security.log', async () => {
      const log = securityLog(source);
      return /Refused backup peer 127\.0\.0\.1:\d+: quiver-admin does not hold/.test(log) &&
        /Refused backup peer 127\.0\.0\.1:\d+: TLS handshake failed/.test(log) ? true : null;
    }, WAIT_MS);
    // quiver-admin backup itself, taking the secret and the backup policy from its conf.
    const clientHome = path.join(dir, 'backup-client');
    fs.mkdirSync(path.join(clientHome, 'conf'), { recursive: true });
    fs.writeFileSync(path.join(clientHome, 'conf', 'quiver.conf'),
      'dbms.ssl.policy.backup.enabled=true\n' +
      `dbms.ssl.policy.backup.base_directory=${path.join(dir, 'good', 'backup')}\n` +
      `dbms.cluster.secret=${SECRET}\n`);
    const done = await runCli('quiver-admin', ['backup', '--from', `localhost:${backupPort}`,
      '--backup-dir', backups, '--name', 'right', '--home', clientHome,
      '--check-consistency', 'false']);
    expect(done.stdout).toContain('Backup complete.');
    expect(done.code).toBe(0);
  });

  it('fails over when the leader stops', async () => {
    const leader = await leaderOf(live());
    members = members.map((m) => (m === leader ? null : m));
    await leader.stop();
    const next = await leaderOf(live());
    expect(next).not.toBe(leader);
    const session = driverTo(next, 'bolt').session();
    try {
      await session.run("CREATE (:Person {name: 'Bob'})");
    } finally {
      await session.close();
    }
    expect(await personCount(next)).toBe(2);
  });
});
