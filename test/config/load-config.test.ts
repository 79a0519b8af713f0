import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { envNameToSetting } from '../../src/config/env-settings.js';
import { loadConfig } from '../../src/config/load-config.js';

let home: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-config-'));
});

afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function writeConf(lines: string[]): void {
  fs.mkdirSync(path.join(home, 'conf'), { recursive: true });
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'), lines.join('\n'));
}

function load(options: { env?: Record<string, string>; argv?: string[] } = {}) {
  return loadConfig({ home, env: options.env ?? {}, argv: options.argv ?? [], cwd: home });
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (thrown) {
    if (thrown instanceof ConfigError) return thrown;
    throw thrown;
  }
  throw new Error('expected a ConfigError');
}

describe('defaults', () => {
  it('describe a standalone server on the default ports', () => {
    const config = load();
    expect(config.mode).toBe('SINGLE');
    expect(config.bolt.listen).toEqual({ host: '127.0.0.1', port: 7687 });
    expect(config.bolt.advertised).toEqual({ host: 'localhost', port: 7687 });
    expect(config.http.listen.port).toBe(7474);
    expect(config.cluster.discovery.listen.port).toBe(5000);
    expect(config.cluster.transaction.listen.port).toBe(6000);
    expect(config.cluster.raft.listen.port).toBe(7000);
    expect(config.backup.listen.port).toBe(6362);
    expect(config.auth.enabled).toBe(true);
    expect(config.cluster.electionTimeoutMsMin).toBe(1000);
    expect(config.directories.data).toBe(path.join(home, 'data'));
    expect(config.directories.run).toBe(path.join(home, 'run'));
    expect(config.defaultDatabase).toBe('neo4j');
  });
});

describe('quiver.conf', () => {
  it('reads key=value lines, skipping comments and blank lines', () => {
    writeConf([
      '# a comment', '', 'dbms.mode=CORE',
      'causal_clustering.initial_discovery_members=a:5000, b:5001,c',
      'causal_clustering.leader_election_timeout = 3s',
      'dbms.connector.bolt.listen_address=:9687',
      'dbms.default_listen_address=0.0.0.0',
      'dbms.default_advertised_address=db1.example.com',
      'dbms.directories.data=/var/lib/quiver',
      'dbms.transaction.timeout=0',
      'dbms.memory.heap.max_size=512m',
    ]);
    const config = load();
    expect(config.mode).toBe('CORE');
    expect(config.cluster.initialMembers).toEqual([
      { host: 'a', port: 5000 }, { host: 'b', port: 5001 }, { host: 'c', port: 5000 }]);
    expect(config.cluster.electionTimeoutMsMin).toBe(3000);
    expect(config.cluster.electionTimeoutMsMax).toBe(6000);
    expect(config.cluster.heartbeatIntervalMs).toBe(1000);
    expect(config.bolt.listen).toEqual({ host: '0.0.0.0', port: 9687 });
    expect(config.bolt.advertised).toEqual({ host: 'db1.example.com', port: 9687 });
    expect(config.http.listen).toEqual({ host: '0.0.0.0', port: 7474 });
    expect(config.directories.data).toBe('/var/lib/quiver');
    expect(config.transactionTimeoutMs).toBeNull();
    expect(config.memory.heapMaxBytes).toBe(512 * 1024 ** 2);
  });

  it('accepts the Neo4j 5 names for the same settings', () => {
    writeConf([
      'server.bolt.listen_address=:8687', 'server.cluster.raft.listen_address=:8000',
      'dbms.cluster.discovery.endpoints=x:5000', 'dbms.routing_ttl=10s',
      'dbms.routing.reads_on_writers_enabled=true', 'initial.server.mode_constraint=SECONDARY',
    ]);
    const config = load();
    expect(config.bolt.listen.port).toBe(8687);
    expect(config.cluster.raft.listen.port).toBe(8000);
    expect(config.routing.ttlMs).toBe(10_000);
    expect(config.routing.readsOnLeaderEnabled).toBe(true);
    expect(config.mode).toBe('READ_REPLICA');
  });

  it('maps Neo4j HA settings onto the Raft cluster', () => {
    writeConf(['dbms.mode=HA', 'ha.server_id=2', 'ha.initial_hosts=h1:5001,h2:5001',
      'ha.slave_only=true', 'ha.pull_interval=5s', 'ha.tx_push_factor=2',
      'org.neo4j.server.database.mode=HA']);
    const config = load();
    expect(config.mode).toBe('CORE');
    expect(config.serverId).toBe(2);
    expect(config.cluster.initialMembers).toHaveLength(2);
    expect(config.cluster.refuseToBeLeader).toBe(true);
    expect(config.cluster.pullIntervalMs).toBe(5000);
    expect(config.cluster.txPushFactor).toBe(2);
  });

  it('names the key, the file and the line of an unknown setting', () => {
    writeConf(['# header', 'dbms.mode=CORE', 'x.y=1']);
    const error = configError(load);
    expect(error.message).toBe(
      'Unrecognized setting. No declared setting with name: x.y (conf/quiver.conf:3)');
    expect(error.key).toBe('x.y');
  });

  it('names the key, the file and the line of an invalid value', () => {
    writeConf(['dbms.mode=CORE', 'causal_clustering.leader_election_timeout=soon']);
    const error = configError(load);
    expect(error.message).toMatch(/causal_clustering\.leader_election_timeout/);
    expect(error.message).toMatch(/\(conf\/quiver\.conf:2\)$/);
  });

  it('refuses a line that is not key=value', () => {
    writeConf(['dbms.mode']);
    expect(configError(load).message).toMatch(/expected key=value.*conf\/quiver\.conf:1/);
  });

  it('reads ARBITER as a core that keeps the log but no graph', () => {
    writeConf(['dbms.mode=ARBITER']);
    const config = load();
    expect(config.mode).toBe('CORE');
    expect(config.cluster.arbiter).toBe(true);
  });

  it('refuses a 0.0.0.0 advertised address', () => {
    writeConf(['dbms.default_advertised_address=0.0.0.0']);
    expect(configError(load).message).toMatch(/cannot be 0\.0\.0\.0/);
  });

  it('turns unknown settings into warnings when strict validation is off', () => {
    writeConf(['server.config.strict_validation.enabled=false', 'x.y=1',
      'dbms.jvm.additional=-XX:+UseG1GC']);
    const config = load();
    expect(config.warnings).toHaveLength(2);
    expect(config.warnings.join('\n')).toMatch(/x\.y/);
    expect(config.warnings.join('\n')).toMatch(/dbms\.jvm\.additional has no effect/);
  });

  it('checks that the runtime core count does not exceed the formation count', () => {
    writeConf(['causal_clustering.minimum_core_cluster_size_at_formation=2',
      'causal_clustering.minimum_core_cluster_size_at_runtime=3']);
    expect(configError(load).message).toMatch(/at_runtime/);
  });
});

describe('environment variables', () => {
  it('map as in the Neo4j Docker image', () => {
    expect(envNameToSetting('causal__clustering_initial__discovery__members'))
      .toBe('causal_clustering.initial_discovery_members');
    expect(envNameToSetting('dbms_connector_bolt_advertised__address'))
      .toBe('dbms.connector.bolt.advertised_address');
    expect(envNameToSetting('ha_serverId')).toBe('ha.server_id');
  });

  it('override the file, with QUIVER_ accepted too', () => {
    writeConf(['dbms.mode=SINGLE', 'dbms.security.auth_enabled=true']);
    const config = load({ env: {
      NEO4J_dbms_mode: 'CORE', QUIVER_dbms_security_auth__enabled: 'false',
      NEO4J_HOME: '/ignored', QUIVER_SEED: '42', PATH: '/bin',
    } });
    expect(config.mode).toBe('CORE');
    expect(config.auth.enabled).toBe(false);
  });

  it('name the variable when a value is bad or the setting unknown', () => {
    expect(configError(() => load({ env: { NEO4J_dbms_mode: 'SOLO' } })).message)
      .toMatch(/dbms\.mode.*\(environment variable NEO4J_dbms_mode\)$/);
    expect(configError(() => load({ env: { NEO4J_dbms_nonsense: '1' } })).message)
      .toMatch(/dbms\.nonsense \(environment variable NEO4J_dbms_nonsense\)$/);
  });

  it('reads NEO4J_AUTH', () => {
    expect(load({ env: { NEO4J_AUTH: 'none' } }).auth.enabled).toBe(false);
    expect(load({ env: { NEO4J_AUTH: 'neo4j/secret' } }).auth.initialPassword).toBe('secret');
    expect(configError(() => load({ env: { NEO4J_AUTH: 'neo4j/neo4j' } })).message)
      .toMatch(/Invalid initial password/);
  });
});

describe('Memgraph flags', () => {
  function writeJson(name: string, value: unknown): string {
    const file = path.join(home, name);
    fs.writeFileSync(file, JSON.stringify(value));
    return file;
  }

  it('read the coordination and raft files and take this member from the list', () => {
    writeJson('coordination.json', [[1, '10.0.0.1', 10000], [2, '10.0.0.2', 10001],
      [3, '10.0.0.3', 10002]]);
    writeJson('raft.json', { election_timeout_min: 750, election_timeout_max: 1000,
      heartbeat_interval: 100, replication_timeout: 20000, log_size_snapshot_threshold: -1 });
    const config = load({ argv: ['--server_id=2', '--coordination_config_file=coordination.json',
      '--raft-config-file', 'raft.json', '--port', '7688'] });
    expect(config.mode).toBe('CORE');
    expect(config.serverId).toBe(2);
    expect(config.cluster.raftMembers.map((member) => member.id)).toEqual([1, 2, 3]);
    expect(config.cluster.raft.listen.port).toBe(10001);
    expect(config.cluster.raft.advertised).toEqual({ host: '10.0.0.2', port: 10001 });
    expect(config.cluster.electionTimeoutMsMin).toBe(750);
    expect(config.cluster.electionTimeoutMsMax).toBe(1000);
    expect(config.cluster.heartbeatIntervalMs).toBe(100);
    expect(config.cluster.replicationTimeoutMs).toBe(20_000);
    expect(config.cluster.snapshotThresholdEntries).toBeNull();
    expect(config.cluster.formationCoreCountMin).toBe(3);
    expect(config.bolt.listen.port).toBe(7688);
  });

  it('override the file and the environment', () => {
    writeConf(['dbms.connector.bolt.listen_address=:1111']);
    const config = load({ env: { NEO4J_dbms_connector_bolt_listen__address: ':2222' },
      argv: ['--bolt-port=3333'] });
    expect(config.bolt.listen.port).toBe(3333);
  });

  it('report coordination file problems as Memgraph did', () => {
    writeJson('gap.json', [[1, 'a', 1], [3, 'c', 3]]);
    expect(configError(() => load({ argv: ['--coordination_config_file=gap.json'] })).message)
      .toMatch(/Unable to parse raft coordination config file: missing endpoint for node 2!/);
    writeJson('bad.json', [[1, 'a']]);
    expect(configError(() => load({ argv: ['--coordination_config_file=bad.json'] })).message)
      .toMatch(/invalid number of subelements/);
    expect(configError(() => load({ argv: ['--coordination_config_file=none.json'] })).message)
      .toMatch(/doesn't exist/);
  });

  it('refuse a raft file with a missing key, an unknown flag and a server id not listed', () => {
    writeJson('raft.json', { election_timeout_min: 750 });
    expect(configError(() => load({ argv: ['--raft_config_file=raft.json'] })).message)
      .toMatch(/Unable to parse raft config file/);
    expect(configError(() => load({ argv: ['--bogus=1'] })).message)
      .toBe('Unrecognized flag: --bogus (command line)');
    writeJson('two.json', [[1, 'a', 1], [2, 'b', 2]]);
    expect(configError(() => load({
      argv: ['--server_id=3', '--coordination_config_file=two.json'] })).message)
      .toMatch(/Server id 3 is not in the coordination config file/);
  });
});
