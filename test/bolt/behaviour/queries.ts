import { expect, it } from 'vitest';
import type { VersionTable } from '../../../src/bolt/versions/version-table.js';
import { openSession, pullAll, type Live } from '../live.js';
import { msg, WireStruct } from '../wire.js';

/** Auto-commit queries, failures and RESET: every version. */
export function autoCommitBehaviour(live: () => Live, table: VersionTable): void {
  it('runs an auto-commit query and ends it with a bookmark', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send([...msg.run('RETURN 1 AS n'), ...pullAll(table)]);
    const run = await client.next();
    expect(run.meta.get('fields')).toEqual(['n']);
    expect(typeof run.meta.get('t_first')).toBe('bigint');
    const { records, summary } = await client.summary();
    expect(records).toEqual([[1n]]);
    expect(summary.meta.get('bookmark')).toMatch(/^FB:tx-\d+$/);
    expect(summary.meta.get('type')).toBe('r');
    expect(summary.meta.get('db')).toBe(table.features.streamIds ? 'neo4j' : undefined);
    client.close();
  });

  it('reports write statistics with Neo4j counter names, only the non-zero ones', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send([...msg.run('CREATE (n)'), ...pullAll(table)]);
    await client.next();
    const { summary } = await client.summary();
    expect(summary.meta.get('stats')).toEqual(
      new Map<string, unknown>([['nodes-created', 1n], ['contains-updates', true]]));
    expect(summary.meta.get('type')).toBe('w');
    client.close();
  });

  it('ignores pipelined requests after a FAILURE until RESET', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send([...msg.run('RETURN 1 +'), ...pullAll(table)]);
    expect((await client.next()).meta.get('code')).toBe('Neo.ClientError.Statement.SyntaxError');
    expect((await client.next()).type).toBe('IGNORED');
    client.send([...msg.reset(), ...msg.run('RETURN 1 AS n'), ...pullAll(table)]);
    expect((await client.next()).type).toBe('SUCCESS');
    expect((await client.next()).type).toBe('SUCCESS');
    expect((await client.summary()).records).toEqual([[1n]]);
    client.close();
  });

  it('sends the records before a failure in the middle of a result, then FAILURE', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send([...msg.run('FAIL ON ROW 3'), ...pullAll(table)]);
    await client.next();
    const { records, summary } = await client.summary();
    expect(records).toEqual([[1n], [2n]]);
    expect(summary.meta.get('code')).toBe('Neo.ClientError.Statement.ArithmeticError');
    expect(live().backend.log.rollbacks).toBeGreaterThan(0);
    client.close();
  });

}

/** RESET jumping the queue and interrupting work: every version. */
export function resetBehaviour(live: () => Live, table: VersionTable): void {
  it('lets a RESET overtake the requests sent before it', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send([...msg.run('UNWIND range(1, 10) AS x RETURN x'), ...pullAll(table),
      ...msg.reset()]);
    expect((await client.next()).type).toBe('IGNORED');
    expect((await client.next()).type).toBe('IGNORED');
    expect((await client.next()).type).toBe('SUCCESS');
    client.close();
  });

  it('interrupts a long-running PULL when RESET arrives', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send([...msg.run('UNWIND range(1, 100000000) AS x RETURN x'), ...pullAll(table)]);
    await client.next();
    expect((await client.next()).type).toBe('RECORD');
    client.send(msg.reset());
    const { summary } = await client.summary();
    expect(summary.type).toBe('IGNORED');
    expect((await client.next()).type).toBe('SUCCESS');
    client.close();
  });

  it('round-trips temporal parameters in the DateTime form of the version', async () => {
    const { client } = await openSession(live().server.port, table);
    const utc = table.features.dateTime === 'utc';
    const dateTime = new WireStruct(utc ? 0x49 : 0x46, [946728000n, 0n, 7200n]);
    client.send([...msg.run('RETURN $x AS x', { x: dateTime }), ...pullAll(table)]);
    await client.next();
    const { records } = await client.summary();
    const back = records[0]?.[0];
    expect(back).toMatchObject({ nanos: 0, offsetSeconds: 7200 });
    client.close();
  });
}

/** 4.0+: PULL n with has_more, DISCARD, qids. */
export function batchedPullBehaviour(live: () => Live, table: VersionTable): void {
  it('pulls in batches of n with has_more until the end', async () => {
    const { client } = await openSession(live().server.port, table);
    client.send([...msg.run('UNWIND range(1, 5) AS x RETURN x'), ...msg.pull(2n)]);
    await client.next();
    let batch = await client.summary();
    expect(batch.records).toEqual([[1n], [2n]]);
    expect(batch.summary.meta.get('has_more')).toBe(true);
    client.send(msg.pull(2n));
    batch = await client.summary();
    expect(batch.records).toEqual([[3n], [4n]]);
    client.send(msg.discard(-1n));
    batch = await client.summary();
    expect(batch.records).toEqual([]);
    expect(batch.summary.meta.has('has_more')).toBe(false);
    expect(batch.summary.meta.get('bookmark')).toMatch(/^FB:/);
    client.close();
  });
}

/** Explicit transactions: every version (Bolt 3 has no qid). */
export function explicitTransactionBehaviour(live: () => Live, table: VersionTable): void {
  it('commits an explicit transaction with two results, answering with a bookmark', async () => {
    const { backend, server } = live();
    const before = backend.committedNodes;
    const { client } = await openSession(server.port, table);
    client.send([...msg.begin({ mode: 'w' }), ...msg.run('CREATE (n)'),
      ...msg.run('RETURN 1 AS n')]);
    expect((await client.next()).type).toBe('SUCCESS');
    const first = await client.next();
    const second = await client.next();
    if (table.features.streamIds) {
      expect(first.meta.get('qid')).toBe(0n);
      expect(second.meta.get('qid')).toBe(1n);
      client.send([...msg.pull(-1n, 0n), ...msg.pull(-1n, 1n)]);
      expect((await client.summary()).records).toEqual([]);
      expect((await client.summary()).records).toEqual([[1n]]);
    } else {
      client.send([...msg.pullAll(), ...msg.pullAll()]);
      expect((await client.summary()).records).toEqual([[1n]]);
      expect((await client.summary()).records).toEqual([]);
    }
    client.send(msg.commit());
    expect((await client.next()).meta.get('bookmark')).toMatch(/^FB:/);
    expect(backend.committedNodes).toBe(before + 1);
    client.close();
  });

  it('leaves no trace of a rolled-back transaction', async () => {
    const { backend, server } = live();
    const before = backend.committedNodes;
    const { client } = await openSession(server.port, table);
    client.send([...msg.begin(), ...msg.run('CREATE (n)'), ...pullAll(table), ...msg.rollback()]);
    for (let i = 0; i < 3; i++) expect((await client.next()).type).toBe('SUCCESS');
    const rollback = await client.next();
    expect(rollback.type).toBe('SUCCESS');
    expect(rollback.meta.has('bookmark')).toBe(false);
    expect(backend.committedNodes).toBe(before);
    client.close();
  });

  it('fails BEGIN on an unknown database with DatabaseNotFound', async () => {
    const { client } = await openSession(live().server.port, table);
    if (!table.features.streamIds) return client.close();
    client.send(msg.begin({ db: 'nope' }));
    expect((await client.next()).meta.get('code'))
      .toBe('Neo.ClientError.Database.DatabaseNotFound');
    client.close();
  });
}

/** 4.3+: ROUTE. */
export function routeBehaviour(live: () => Live, table: VersionTable): void {
  it('answers ROUTE with one entry per role', async () => {
    const { client } = await openSession(live().server.port, table);
    const third = table.version.minor === 3 && table.version.major === 4 ? null : {};
    client.send(msg.route({ address: 'example:7687' }, [], third));
    const success = await client.next();
    const rt = success.meta.get('rt') as Map<string, unknown>;
    expect(rt.get('ttl')).toBe(300n);
    expect(rt.has('db')).toBe(!(table.version.major === 4 && table.version.minor === 3));
    const servers = rt.get('servers') as Map<string, unknown>[];
    expect(servers.map((s) => s.get('role')).sort()).toEqual(['READ', 'ROUTE', 'WRITE']);
    expect(servers[0]?.get('addresses')).toEqual(['example:7687']);
    client.close();
  });
}

/** 5.4+: TELEMETRY and its hint. */
export function telemetryBehaviour(live: () => Live, table: VersionTable): void {
  it('advertises telemetry and accepts TELEMETRY', async () => {
    const { client, hello } = await openSession(live().server.port, table);
    expect((hello.meta.get('hints') as Map<string, unknown>).get('telemetry.enabled')).toBe(true);
    client.send([...msg.telemetry(2n), ...msg.telemetry(9n)]);
    expect((await client.next()).type).toBe('SUCCESS');
    expect((await client.next()).meta.get('code')).toBe('Neo.ClientError.Request.Invalid');
    client.close();
  });
}

/** 4.3/4.4: the "utc" patch switches DateTime to the UTC tags when asked. */
export function utcPatchBehaviour(live: () => Live, table: VersionTable): void {
  it('applies and echoes the utc patch', async () => {
    const { client, hello } = await openSession(live().server.port, table,
      { patch_bolt: ['utc'] });
    expect(hello.meta.get('patch_bolt')).toEqual(['utc']);
    client.startMessages(true);
    client.send([...msg.run('RETURN $x AS x', { x: new WireStruct(0x49, [946720800n, 0n, 7200n]) }),
      ...msg.pull(-1n)]);
    expect((await client.next()).type).toBe('SUCCESS');
    const { records } = await client.summary();
    expect(records[0]?.[0]).toMatchObject({ epochSeconds: 946720800n, offsetSeconds: 7200 });
    client.close();
  });
}
