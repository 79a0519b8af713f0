/**
 * The byte pipe under one Bolt connection: a TCP socket or a WebSocket. Inbound bytes are
 * pushed into the connection by whoever owns the transport; this is the outbound half.
 */
export interface BoltTransport {
  /** Remote address as `host:port`. */
  readonly peer: string;
  write(bytes: Uint8Array): void;
  /** Bytes handed to write() that have not reached the kernel yet. */
  bufferedBytes(): number;
  /** Calls back once when the buffered bytes have drained (or the transport closed). */
  onceDrained(callback: () => void): void;
  pauseReading(): void;
  resumeReading(): void;
  close(): void;
}
