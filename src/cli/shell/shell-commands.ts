/** The `:help` table and usage lines of the shell's commands, as cypher-shell words them. */
export interface CommandHelp {
  readonly name: string;
  readonly usage: string;
  readonly description: string;
}

export const COMMANDS: readonly CommandHelp[] = [
  { name: ':begin', usage: '', description: 'Open a transaction' },
  { name: ':commit', usage: '', description: 'Commit the currently open transaction' },
  { name: ':exit', usage: '', description: 'Exit the logger' },
  { name: ':help', usage: '[command]', description: 'Show this help message' },
  { name: ':history', usage: '', description: 'Statement history' },
  { name: ':param', usage: 'name => expression',
    description: 'Set the value of a query parameter' },
  { name: ':params', usage: '[name]',
    description: 'Prints all currently set query parameters and their values' },
  { name: ':rollback', usage: '', description: 'Rollback the currently open transaction' },
  { name: ':source', usage: 'file', description: 'Executes Cypher statements from a file' },
  { name: ':use', usage: '[database]', description: 'Set the active database' },
];

const ALIASES: Readonly<Record<string, string>> = {
  ':quit': ':exit', ':man': ':help', ':parameters': ':params',
};

export function canonicalCommand(name: string): string {
  return ALIASES[name] ?? name;
}

export function helpText(topic: string): string {
  if (topic === '') {
    const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 1;
    return ['Available commands:',
      ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.description}`),
      '', 'For help on a specific command type:', '    :help command', ''].join('\n');
  }
  const name = canonicalCommand(topic.startsWith(':') ? topic : `:${topic}`);
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) return `No such command: ${topic}\n`;
  return `\nusage: ${command.name} ${command.usage}\n\n${command.description}\n`;
}
