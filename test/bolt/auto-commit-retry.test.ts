import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { V5X4 } from '../../src/bolt/versions/v5.js';
import { openSession, startLive, type Live } from './live.js';
import { msg } from './wire.js';

const CONFLICT = 'Neo.TransientError.Transaction.DeadlockDetected';
const ATTEMPTS_MAX = 4;

let live: Live;
beforeAll(async () => {
  live = await startLive({ autoCommitAttemptsMax: ATTEMPTS_MAX, autoCommitBackoffMsMax: 0 });
});
afterAll(async () => {
  await live.server.close();
});
beforeEach(() => {
  live.backend.log.begins.length = 0;
  live.backend.log.commits = 0;
  live.backend.conflictsToLose = 0;
  live.backend.settledWaits = 0;
});

async function session() {
  return (await openSession(live.server.port, V5X4)).client;
}

describe('auto-commit statements that lose a write conflict', () => {
  it('run again unseen: the client gets one result and one commit', async () => {
    const client = await session();
    live.backend.conflictsToLose = 2;
    client.send([...msg.run('RETURN 1 AS n'), ...msg.pull(-1n)]);
    expect((await client.next()).type).toBe('SUCCESS');
    const { records, summary } = await client.summary();
    expect(records).toEqual([[1n]]);
    expect(summary.type).toBe('SUCCESS');
    expect(summary.meta.get('bookmark')).toBe('FB:tx-3');
    expect(live.backend.log.begins).toHaveLength(3);
    expect(live.backend.log.commits).toBe(1);
    expect(live.backend.settledWaits).toBe(2);
    client.close();
  });

  it('fail with the conflict once autoCommitAttemptsMax runs have lost', async () => {
    const client = await session();
    live.backend.conflictsToLose = ATTEMPTS_MAX + 1;
    client.send([...msg.run('RETURN 1 AS n'), ...msg.pull(-1n)]);
    expect((await client.next()).type).toBe('SUCCESS');
    const { records, summary } = await client.summary();
    // The last run's records, once: earlier runs' were taken back.
    expect(records).toEqual([[1n]]);
    expect(summary.type).toBe('FAILURE');
    expect(summary.meta.get('code')).toBe(CONFLICT);
    expect(live.backend.log.begins).toHaveLength(ATTEMPTS_MAX);
    client.send([...msg.reset(), ...msg.run('RETURN 1 AS n'), ...msg.pull(-1n)]);
    expect((await client.next()).type).toBe('SUCCESS');
    expect((await client.next()).type).toBe('SUCCESS');
    expect((await client.summary()).records).toEqual([[1n]]);
    client.close();
  });

  it('are not run again once some of their records were written to the socket', async () => {
    const client = await session();
    live.backend.conflictsToLose = 1;
    client.send([...msg.run('UNWIND range(1, 50000) AS x RETURN x'), ...msg.pull(-1n)]);
    expect((await client.next()).type).toBe('SUCCESS');
    const { records, summary } = await client.summary();
    expect(records).toHaveLength(50000);
    expect(summary.meta.get('code')).toBe(CONFLICT);
    expect(live.backend.log.begins).toHaveLength(1);
    client.close();
  });

  it('are not run again after an earlier PULL of the same result answered has_more', async () => {
    const client = await session();
    client.send([...msg.run('UNWIND range(1, 10) AS x RETURN x'), ...msg.pull(4n)]);
    expect((await client.next()).type).toBe('SUCCESS');
    expect((await client.summary()).summary.meta.get('has_more')).toBe(true);
    live.backend.conflictsToLose = 1;
    client.send(msg.pull(-1n));
    const { records, summary } = await client.summary();
    expect(records).toHaveLength(6);
    expect(summary.meta.get('code')).toBe(CONFLICT);
    expect(live.backend.log.begins).toHaveLength(1);
    client.close();
  });

  it('in an explicit transaction are left to the client: COMMIT fails', async () => {
    const client = await session();
    client.send([...msg.begin(), ...msg.run('CREATE (n)'), ...msg.pull(-1n)]);
    for (let i = 0; i < 3; i++) expect((await client.next()).type).toBe('SUCCESS');
    live.backend.conflictsToLose = 1;
    client.send(msg.commit());
    const commit = await client.next();
    expect(commit.type).toBe('FAILURE');
    expect(commit.meta.get('code')).toBe(CONFLICT);
    expect(live.backend.log.begins).toHaveLength(1);
    client.close();
  });
});
