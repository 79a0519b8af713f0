/**
 * A start that fails part way closes what it had opened: a core whose Bolt port is taken must
 * not leave its cluster runtime listening and running in a process that is about to exit.
 */
import fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createSilentLogger } from '../../src/config/logger.js';
import { startServer } from '../../src/server/start.js';
import { stablePorts } from '../helpers/quiver-process.js';

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
});

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('a start that fails part way', () => {
  it('stops the cluster member it had started, freeing its ports', async () => {
    const [bolt, http, discovery, raft, transaction] = await stablePorts(5) as
      [number, number, number, number, number];
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-failed-start-'));
    homes.push(home);
    fs.mkdirSync(path.join(home, 'conf'));
    fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'), [
      'dbms.mode=CORE', 'causal_clustering.minimum_core_cluster_size_at_formation=1',
      'causal_clustering.minimum_core_cluster_size_at_runtime=1',
      `causal_clustering.initial_discovery_members=127.0.0.1:${discovery}`,
      `causal_clustering.discovery_listen_address=127.0.0.1:${discovery}`,
      `causal_clustering.raft_listen_address=127.0.0.1:${raft}`,
      `causal_clustering.transaction_listen_address=127.0.0.1:${transaction}`,
      `dbms.connector.bolt.listen_address=127.0.0.1:${bolt}`,
      `dbms.connector.http.listen_address=127.0.0.1:${http}`,
      'dbms.backup.enabled=false', ''].join('\n'));
    const squatter = await listen(bolt);
    try {
      await expect(startServer(loadConfig({ home, env: {} }), createSilentLogger()))
        .rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    // The member's own listeners are closed again: a new process could take them at once.
    for (const port of [discovery, raft]) {
      const probe = await listen(port);
      await new Promise((resolve) => probe.close(resolve));
    }
  });
});
