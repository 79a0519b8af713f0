/**
 * Runs one of the command-line programs from source (tsx), so tests exercise the working tree
 * rather than a possibly stale dist/: `node --import tsx cli-entry.ts quiver console --home DIR`.
 */
import { main as quiver } from '../../src/cli/quiver.js';
import { main as quiverAdmin } from '../../src/cli/quiver-admin.js';
import { main as quiverShell } from '../../src/cli/quiver-shell.js';

const PROGRAMS = { 'quiver': quiver, 'quiver-admin': quiverAdmin, 'quiver-shell': quiverShell };

const [name, ...args] = process.argv.slice(2);
const program = PROGRAMS[name as keyof typeof PROGRAMS];
if (program === undefined) {
  process.stderr.write(`usage: cli-entry.ts ${Object.keys(PROGRAMS).join('|')} [args...]\n`);
  process.exitCode = 2;
} else {
  process.exitCode = await program(args);
}
