import { assert } from '../assert.js';
import { DEFAULT_CONFLICT_RETRY } from '../db/conflict-retry.js';

/**
 * Everything a Bolt connection may consume is bounded here. A client that exceeds a limit gets
 * a FAILURE naming the limit (or is slowed down by backpressure), never unbounded server memory.
 */
export interface BoltLimits {
  /** Bytes of one inbound message, counting every chunk of it. */
  readonly boltMessageBytesMax: number;
  /** Nesting of lists, maps and structures inside one inbound message. */
  readonly packstreamDepthMax: number;
  /** Decoded requests waiting to be processed; past it we stop reading the socket. */
  readonly pipelineRequestsMax: number;
  /** Outbound bytes buffered in the socket before a streaming PULL waits for it to drain. */
  readonly outboundBytesHighWater: number;
  /** Outbound bytes collected before they are handed to the socket in one write. */
  readonly outboundFlushBytes: number;
  /** Open connections per server; further ones are closed right after accept. */
  readonly connectionsMax: number;
  /** Bytes the handshake (or the HTTP request line and headers) may take. */
  readonly handshakeBytesMax: number;
  /** Runs of one auto-commit statement whose commits lost write conflicts (1 = no retry). */
  readonly autoCommitAttemptsMax: number;
  /** Ceiling of the jittered wait between two such runs. */
  readonly autoCommitBackoffMsMax: number;
}

export const DEFAULT_BOLT_LIMITS: BoltLimits = {
  boltMessageBytesMax: 16 * 1024 * 1024,
  packstreamDepthMax: 64,
  pipelineRequestsMax: 256,
  outboundBytesHighWater: 256 * 1024,
  outboundFlushBytes: 64 * 1024,
  connectionsMax: 10_000,
  handshakeBytesMax: 16 * 1024,
  autoCommitAttemptsMax: DEFAULT_CONFLICT_RETRY.attemptsMax,
  autoCommitBackoffMsMax: DEFAULT_CONFLICT_RETRY.backoffMsMax,
};

export function resolveBoltLimits(partial: Partial<BoltLimits> | undefined): BoltLimits {
  const limits = { ...DEFAULT_BOLT_LIMITS, ...partial };
  // A message must be able to hold at least a RESET, and the flush unit must fit under the
  // high-water mark or every flush would wait for a drain.
  assert(limits.boltMessageBytesMax >= 16, 'boltMessageBytesMax must be at least 16');
  assert(limits.packstreamDepthMax >= 2, 'packstreamDepthMax must be at least 2');
  assert(limits.pipelineRequestsMax >= 4, 'pipelineRequestsMax must be at least 4');
  assert(limits.outboundFlushBytes > 0, 'outboundFlushBytes must be positive');
  assert(limits.outboundBytesHighWater >= limits.outboundFlushBytes,
    'outboundBytesHighWater must be >= outboundFlushBytes');
  assert(limits.connectionsMax >= 1, 'connectionsMax must be at least 1');
  assert(limits.handshakeBytesMax >= 64, 'handshakeBytesMax must be at least 64');
  assert(limits.autoCommitAttemptsMax >= 1, 'autoCommitAttemptsMax must be at least 1');
  assert(limits.autoCommitBackoffMsMax >= 0, 'autoCommitBackoffMsMax must not be negative');
  return limits;
}
