import neo4j, { type Driver } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { ShellSession } from '../../../src/cli/shell/shell-session.js';
import { runText } from '../../../src/cli/shell/shell-runner.js';

interface Call {
  readonly query: string;
  readonly params: Record<string, unknown>;
  readonly inTransaction: boolean;
}

/** Answers `RETURN <x>` with one row; a query containing FAIL throws like a server error. */
function fakeDriver(calls: Call[]): Driver {
  const run = (inTransaction: boolean) => (query: string, params: Record<string, unknown>) => {
    calls.push({ query, params, inTransaction });
    const failed = query.includes('FAIL');
    const rows = query.startsWith('RETURN') ? [{ keys: ['x'], get: () => params['x'] ?? 1 }] : [];
    return {
      keys: () => (failed ? Promise.reject(new Error('Invalid input FAIL')) : Promise.resolve(
        rows.length === 0 ? [] : ['x'])),
      async *[Symbol.asyncIterator]() {
        yield* rows;
      },
      summary: () => Promise.resolve({
        counters: { updates: () => (query.startsWith('CREATE') ? { nodesCreated: 1 } : {}) },
        resultAvailableAfter: neo4j.int(3), resultConsumedAfter: neo4j.int(1),
      }),
    };
  };
  const session = {
    run: run(false),
    beginTransaction: () => ({ run: run(true), commit: async () => undefined,
      rollback: async () => undefined }),
    close: async () => undefined,
  };
  return { session: () => session } as unknown as Driver;
}

function shell(format: 'plain' | 'verbose' = 'plain') {
  const calls: Call[] = [];
  let out = '';
  let err = '';
  const session = new ShellSession({ driver: fakeDriver(calls), database: null, format,
    out: (text) => { out += text; } });
  const io = { out: (text: string) => { out += text; }, err: (text: string) => { err += text; } };
  return { calls, session, io, output: () => out, errors: () => err };
}

describe('ShellSession', () => {
  it('sends parameters set with :param, typed as Cypher literals', async () => {
    const { calls, session, io, output } = shell();
    expect(await runText(session, ':param x => 42\nRETURN $x AS x;', io, false)).toBe(0);
    expect(calls).toEqual([{ query: 'RETURN $x AS x', params: { x: neo4j.int(42) },
      inTransaction: false }]);
    expect(output()).toBe('x\n42\n');
  });

  it('lists parameters with :params and as a map with :param', async () => {
    const { session, io, output } = shell();
    await runText(session, ":param x => 1\n:param `a b` => 'z'\n:params\n:param\n", io, false);
    expect(output()).toBe(':param x     => 1\n:param `a b` => \'z\'\n' +
      '{\n  x: 1,\n  `a b`: "z"\n}\n');
  });

  it('runs statements between :begin and :commit in one transaction', async () => {
    const { calls, session, io, errors } = shell();
    const code = await runText(session, ':begin\nCREATE (n);\n:commit\n:commit\n', io, true);
    expect(calls.map((call) => call.inTransaction)).toEqual([true]);
    expect(errors()).toBe('There is no open transaction to commit\n');
    expect(code).toBe(1);
  });

  it('stops at the first error unless failing at the end, and :exit ends with 0', async () => {
    const fast = shell();
    expect(await runText(fast.session, 'RETURN FAIL; RETURN 1;', fast.io, false)).toBe(1);
    expect(fast.calls).toHaveLength(1);
    expect(fast.errors()).toBe('Invalid input FAIL\n');
    const atEnd = shell();
    expect(await runText(atEnd.session, 'RETURN FAIL; RETURN 1;', atEnd.io, true)).toBe(1);
    expect(atEnd.calls).toHaveLength(2);
    const exit = shell();
    expect(await runText(exit.session, ':exit\nRETURN FAIL;', exit.io, false)).toBe(0);
    expect(exit.calls).toHaveLength(0);
  });

  it('prints write statistics in verbose format', async () => {
    const { session, io, output } = shell('verbose');
    await runText(session, 'CREATE (n);', io, false);
    expect(output()).toBe('0 rows\nready to start consuming query after 3 ms, results consumed ' +
      'after another 1 ms\nAdded 1 nodes\n');
  });

  it('names an unknown command and explains :help topics', async () => {
    const { session, io, output, errors } = shell();
    await runText(session, ':frob\n', io, true);
    expect(errors()).toBe('Could not find command :frob, use :help to see available commands\n');
    await runText(session, ':help begin\n:help\n', io, true);
    expect(output())
      .toMatch(/^\nusage: :begin \n\nOpen a transaction\nAvailable commands:\n {2}:begin/);
  });
});
