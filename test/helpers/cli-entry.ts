/**
 * Runs one of the command-line programs from source (tsx), so tests exercise the working tree
 * rather than a possibly stale dist/: `node --import tsx cli-entry.ts quiver console --home DIR`.
 * Only the named program is loaded, which keeps process start-up short.
 */
type Main = (argv: readonly string[]) => Promise<number>;

const PROGRAMS: Record<string, () => Promise<Main>> = {
  'quiver': async () => (await import('../../src/cli/quiver.js')).main,
  'quiver-admin': async () => (await import('../../src/cli/quiver-admin.js')).main,
  'quiver-shell': async () => (await import('../../src/cli/quiver-shell.js')).main,
};

const [name, ...args] = process.argv.slice(2);
const load = PROGRAMS[name ?? ''];
if (load === undefined) {
  process.stderr.write(`usage: cli-entry.ts ${Object.keys(PROGRAMS).join('|')} [args...]\n`);
  process.exitCode = 2;
} else {
  process.exitCode = await (await load())(args);
}
