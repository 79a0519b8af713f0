/**
 * causal_clustering.upstream_selection_strategy and ha.tx_push_factor as quiver.conf reads
 * them: Neo4j's 3.5 and 5.x names become one canonical list; unknown and user-defined
 * strategies stop the start with the key and the reason.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { loadConfig } from '../../../src/config/load-config.js';

let home: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-upstream-'));
});

afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function load(lines: string[]) {
  fs.mkdirSync(path.join(home, 'conf'), { recursive: true });
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'), lines.join('\n'));
  return loadConfig({ home, env: {}, argv: [], cwd: home });
}

describe('upstream settings', () => {
  it('default to the leader as upstream and a push factor of 1', () => {
    const config = load(['dbms.mode=READ_REPLICA']);
    expect(config.cluster.upstreamStrategies).toEqual(['default']);
    expect(config.cluster.txPushFactor).toBe(1);
  });

  it('read 3.5 and 5.x strategy names in order', () => {
    const config = load(['dbms.mode=READ_REPLICA',
      'causal_clustering.upstream_selection_strategy=' +
        'typically-connect-to-random-secondary, connect-randomly-to-server-group',
      'ha.tx_push_factor=0']);
    expect(config.cluster.upstreamStrategies).toEqual(['typically-connect-to-random-read-replica',
      'connect-randomly-to-server-group']);
    expect(config.cluster.txPushFactor).toBe(0);
  });

  it('refuse an unknown strategy and user-defined, naming the setting', () => {
    for (const value of ['nearest-core', 'user-defined']) {
      let error: unknown = null;
      try {
        load([`causal_clustering.upstream_selection_strategy=${value}`]);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect(String(error)).toContain('causal_clustering.upstream_selection_strategy');
    }
  });
});
