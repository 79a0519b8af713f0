import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLeast, formatVersion } from '../../src/bolt/bolt-version.js';
import { VERSION_TABLES } from '../../src/bolt/versions/index.js';
import { startLive, type Live } from './live.js';
import {
  autoCommitBehaviour, batchedPullBehaviour, explicitTransactionBehaviour, resetBehaviour,
  routeBehaviour, telemetryBehaviour, utcPatchBehaviour,
} from './behaviour/queries.js';
import { logonBehaviour, missingMessageBehaviour, sessionBehaviour } from './behaviour/session.js';

let live: Live | null = null;
const current = (): Live => {
  if (live === null) throw new Error('server not started');
  return live;
};

beforeAll(async () => {
  live = await startLive();
});
afterAll(async () => {
  await live?.server.close();
});

describe.each(VERSION_TABLES.map((table) => [formatVersion(table.version), table] as const))(
  'Bolt %s',
  (_name, table) => {
    sessionBehaviour(current, table);
    autoCommitBehaviour(current, table);
    resetBehaviour(current, table);
    explicitTransactionBehaviour(current, table);
    if (table.features.streamIds) batchedPullBehaviour(current, table);
    if (atLeast(table.version, 4, 3)) routeBehaviour(current, table);
    else missingMessageBehaviour(current, table);
    if (atLeast(table.version, 5, 1)) logonBehaviour(current, table);
    if (atLeast(table.version, 5, 4)) telemetryBehaviour(current, table);
    if (table.features.dateTime === 'utc-patch') utcPatchBehaviour(current, table);
  },
);

describe('version tables', () => {
  it('changes the request messages only where the protocol does', () => {
    // Each version as its change from the one before: message/field count and decoder.
    const delta: Record<string, string[]> = {};
    let previous = new Set<string>();
    for (const table of VERSION_TABLES) {
      const names = new Set([...table.requests.values()].map((spec) =>
        `${spec.name}/${spec.fieldCount} ${spec.decode.name}`));
      delta[formatVersion(table.version)] = [
        ...[...names].filter((n) => !previous.has(n)).map((n) => `+${n}`),
        ...[...previous].filter((n) => !names.has(n)).map((n) => `-${n}`),
      ].sort();
      previous = names;
    }
    expect(delta).toMatchInlineSnapshot(`
      {
        "3.0": [
          "+BEGIN/1 decodeBegin",
          "+COMMIT/0 decodeCommit",
          "+DISCARD_ALL/0 decodeDiscardAll",
          "+GOODBYE/0 decodeGoodbye",
          "+HELLO/1 decodeHelloWithAuth",
          "+PULL_ALL/0 decodePullAll",
          "+RESET/0 decodeReset",
          "+ROLLBACK/0 decodeRollback",
          "+RUN/3 decodeRun",
        ],
        "4.0": [
          "+DISCARD/1 decodeDiscard",
          "+PULL/1 decodePull",
          "-DISCARD_ALL/0 decodeDiscardAll",
          "-PULL_ALL/0 decodePullAll",
        ],
        "4.1": [],
        "4.2": [],
        "4.3": [
          "+ROUTE/3 decodeRouteWithDatabase",
        ],
        "4.4": [
          "+ROUTE/3 decodeRoute",
          "-ROUTE/3 decodeRouteWithDatabase",
        ],
        "5.0": [],
        "5.1": [
          "+HELLO/1 decodeHello",
          "+LOGOFF/0 decodeLogoff",
          "+LOGON/1 decodeLogon",
          "-HELLO/1 decodeHelloWithAuth",
        ],
        "5.2": [],
        "5.3": [],
        "5.4": [
          "+TELEMETRY/1 decodeTelemetry",
        ],
        "5.6": [],
        "5.7": [],
        "5.8": [],
        "6.0": [],
        "6.1": [],
      }
    `);
  });
});
