/**
 * Walks test/raft/scripts/*.txt: each `> command` line runs against a fresh RaftEnv per file,
 * and the lines up to the next command must equal what it printed. UPDATE_GOLDEN=1 rewrites
 * the files with the actual output, to be reviewed in the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from './interaction-commands.js';
import { RaftEnv } from './raft-env.js';

const SCRIPTS = join(import.meta.dirname, 'scripts');

/** Replays a script and returns its text with every command's actual output. */
function replay(text: string): string {
  const env = new RaftEnv(1);
  const out: string[] = [];
  const separate = (): void => {
    const last = out[out.length - 1];
    if (last !== undefined && last !== '' && !last.startsWith('#')) out.push('');
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      separate();
      out.push(line);
    } else if (line.startsWith('> ')) {
      separate();
      out.push(line, ...runCommand(env, line.slice(2)));
    }
    // Any other line is the previous run's output, replaced by this run's.
  }
  return `${out.join('\n')}\n`;
}

describe('raft transcripts', () => {
  const files = readdirSync(SCRIPTS).filter((f) => f.endsWith('.txt')).sort();
  it('has scripts to run', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(file, () => {
      const path = join(SCRIPTS, file);
      const expected = readFileSync(path, 'utf8');
      const actual = replay(expected);
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, actual);
      else expect(actual).toBe(expected);
    });
  }
});
