/**
 * The clock of the cluster runtime, injected so tests can drive it and so nothing in cluster/
 * reads the time on its own (DESIGN.md invariant 6).
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  /** Run `callback` once after `delayMs`. */
  after(delayMs: number, callback: () => void): TimerHandle;
}

/** Node's timers, unref'd so that a pending reconnect or tick never keeps a process alive. */
export const realTimers: Timers = {
  after(delayMs, callback) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
