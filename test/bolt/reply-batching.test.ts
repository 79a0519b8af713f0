/**
 * In a cluster an auto-commit write commits asynchronously (Raft), after RUN's SUCCESS is
 * ready. Drivers send RUN and PULL together; the two replies must still leave in one write,
 * or the server pays a second socket write and the driver a second read per transaction.
 */
import { describe, expect, it } from 'vitest';
import type { BoltSession } from '../../src/bolt/backend.js';
import { SILENT_LOGGER } from '../../src/bolt/bolt-logger.js';
import { BoltConnection } from '../../src/bolt/connection.js';
import { DEFAULT_BOLT_LIMITS } from '../../src/bolt/limits.js';
import type { BoltTransport } from '../../src/bolt/transport.js';
import { RerunTurns } from '../../src/db/conflict-retry.js';
import type { BeginOptions, CommitResult, TransactionHandle } from '../../src/db/api.js';
import { FakeBackend } from './fake-backend.js';
import { handshakeFor } from './raw-client.js';
import { msg } from './wire.js';

/** Commits resolve only when the test says so, as a Raft commit resolves after a majority. */
class SlowCommitBackend extends FakeBackend {
  readonly pendingCommits: (() => void)[] = [];

  override async begin(args: { session: BoltSession; database: string | null;
    options: BeginOptions }): Promise<TransactionHandle> {
    const tx = await super.begin(args);
    return {
      id: tx.id,
      run: (query, params) => tx.run(query, params),
      rollback: () => tx.rollback(),
      commit: () => new Promise<CommitResult>((resolve, reject) => {
        this.pendingCommits.push(() => { tx.commit().then(resolve, reject); });
      }),
    };
  }
}

class RecordingTransport implements BoltTransport {
  readonly peer = '127.0.0.1:1';
  readonly writes: Uint8Array[] = [];
  write(bytes: Uint8Array): void {
    this.writes.push(Uint8Array.from(bytes));
  }
  bufferedBytes(): number {
    return 0;
  }
  onceDrained(callback: () => void): void {
    callback();
  }
  pauseReading(): void {}
  resumeReading(): void {}
  close(): void {}
}

/** Signatures of the messages in one outbound write (SUCCESS 0x70, FAILURE 0x7f, ...). */
function signatures(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let at = 0;
  let messageStart = true;
  while (at + 2 <= bytes.length) {
    const size = ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
    at += 2;
    if (size === 0) {
      messageStart = true;
      continue;
    }
    if (messageStart) out.push(bytes[at + 1] ?? -1);
    messageStart = false;
    at += size;
  }
  return out;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('replies to a pipelined auto-commit write', () => {
  it('leave in one write when the commit completes after RUN was answered', async () => {
    const backend = new SlowCommitBackend();
    const transport = new RecordingTransport();
    const connection = new BoltConnection({
      connectionId: 'bolt-1', transport, backend, limits: DEFAULT_BOLT_LIMITS,
      hints: { telemetry: false }, logger: SILENT_LOGGER, nowMs: () => 0, random: () => 0.5,
      rerunTurns: new RerunTurns(), onClosed: () => undefined,
    });
    connection.receive(Uint8Array.from(handshakeFor(4, 4)));
    connection.receive(Uint8Array.from(msg.hello({ user_agent: 'quiver-test/1',
      scheme: 'basic', principal: 'neo4j', credentials: 'secret' })));
    await settle();
    const beforeWrite = transport.writes.length;
    connection.receive(Uint8Array.from([...msg.run('CREATE (n)', {}, {}), ...msg.pull(1000n)]));
    for (let i = 0; i < 5 && backend.pendingCommits.length === 0; i++) await settle();
    // RUN has been answered by now, and the PULL waits for its commit: nothing left yet.
    expect(backend.pendingCommits).toHaveLength(1);
    expect(transport.writes.length).toBe(beforeWrite);
    backend.pendingCommits[0]?.();
    await settle();
    const replies = transport.writes.slice(beforeWrite);
    expect(replies.map(signatures)).toEqual([[0x70, 0x70]]);
  });
});
