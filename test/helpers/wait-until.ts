/** Polls a synchronous condition until it holds; a timeout names what was awaited. */
export async function waitUntil(what: string, probe: () => boolean, timeoutMs = 10_000,
  pollMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
