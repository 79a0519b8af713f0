#!/usr/bin/env node
// Runs the compiled CLI (npm's prepare script builds dist/ at install time).
// Password checks (scrypt) and the log's fsyncs share libuv's thread pool, four threads by
// default; a larger pool keeps a burst of logins from holding up commits. libuv reads this once,
// when the pool is first used, so it is set before anything is loaded.
process.env.UV_THREADPOOL_SIZE ??= '16';
const { main } = await import('../dist/src/cli/quiver.js');

process.exitCode = await main(process.argv.slice(2));
