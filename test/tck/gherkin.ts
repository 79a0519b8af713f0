/**
 * Just enough Gherkin for the openCypher TCK: features, backgrounds, scenarios, outlines with
 * Examples, doc strings and tables; tags; `#` comments; CRLF line endings.
 */
export interface Step {
  readonly keyword: string;
  readonly text: string;
  readonly docString: string | null;
  readonly table: string[][] | null;
}

export interface Scenario {
  /** `<feature path> [n] <title>` plus ` (example k)` for outline rows. */
  readonly id: string;
  readonly tags: readonly string[];
  readonly steps: readonly Step[];
}

interface RawScenario {
  title: string;
  tags: string[];
  steps: Step[];
  outline: boolean;
  examples: string[][][];
}

export function parseFeature(source: string, featurePath: string): Scenario[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const raw: RawScenario[] = [];
  let background: Step[] = [];
  let current: { steps: Step[] } | null = null;
  let tags: string[] = [];
  let inExamples = false;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('@')) { tags.push(...line.split(/\s+/)); continue; }
    if (line.startsWith('Background:')) { background = []; current = { steps: background }; continue; }
    const scenario = /^Scenario( Outline)?:\s*(.*)$/.exec(line);
    if (scenario) {
      const s: RawScenario = { title: scenario[2] ?? '', tags, steps: [], outline: !!scenario[1], examples: [] };
      raw.push(s);
      current = s;
      tags = [];
      inExamples = false;
      continue;
    }
    if (line.startsWith('Examples:')) { inExamples = true; raw.at(-1)?.examples.push([]); continue; }
    if (line.startsWith('|')) {
      const { rows, next } = readTable(lines, i);
      i = next - 1;
      if (inExamples) raw.at(-1)?.examples.at(-1)?.push(...rows);
      else attachTable(current, rows);
      continue;
    }
    if (line.startsWith('"""')) {
      const { text, next } = readDocString(lines, i);
      i = next - 1;
      attachDocString(current, text);
      continue;
    }
    const step = /^(Given|When|Then|And|But)\s+(.*)$/.exec(line);
    if (step && current) {
      current.steps.push({ keyword: step[1] ?? '', text: step[2] ?? '', docString: null, table: null });
    }
  }
  return raw.flatMap((s) => expand(s, background, featurePath));
}

function attachTable(current: { steps: Step[] } | null, rows: string[][]): void {
  const last = current?.steps.pop();
  if (last && current) current.steps.push({ ...last, table: rows });
}

function attachDocString(current: { steps: Step[] } | null, text: string): void {
  const last = current?.steps.pop();
  if (last && current) current.steps.push({ ...last, docString: text });
}

function readTable(lines: string[], start: number): { rows: string[][]; next: number } {
  const rows: string[][] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line.startsWith('#')) continue;
    if (!line.startsWith('|')) break;
    rows.push(splitRow(line));
  }
  return { rows, next: i };
}

/** Cells are separated by unescaped `|`; `\|` stays inside a cell. */
function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && line[i + 1] === '|') { cell += '|'; i++; continue; }
    if (ch === '|') { cells.push(cell.trim()); cell = ''; continue; }
    cell += ch;
  }
  return cells;
}

function readDocString(lines: string[], start: number): { text: string; next: number } {
  const indent = (lines[start] ?? '').indexOf('"""');
  const body: string[] = [];
  let i = start + 1;
  for (; i < lines.length && (lines[i] ?? '').trim() !== '"""'; i++) {
    body.push((lines[i] ?? '').slice(Math.min(indent, leadingSpaces(lines[i] ?? ''))));
  }
  return { text: body.join('\n'), next: i + 1 };
}

function leadingSpaces(s: string): number {
  return s.length - s.trimStart().length;
}

function expand(s: RawScenario, background: Step[], featurePath: string): Scenario[] {
  const base = `${featurePath} ${s.title}`;
  if (!s.outline) return [{ id: base, tags: s.tags, steps: [...background, ...s.steps] }];
  const out: Scenario[] = [];
  let k = 0;
  for (const table of s.examples) {
    const [header, ...rows] = table;
    for (const row of rows) {
      k++;
      const sub = (t: string): string => (header ?? []).reduce(
        (acc, name, j) => acc.split(`<${name}>`).join(row[j] ?? ''), t);
      const steps = [...background, ...s.steps].map((st) => ({
        keyword: st.keyword, text: sub(st.text),
        docString: st.docString === null ? null : sub(st.docString),
        table: st.table?.map((r) => r.map(sub)) ?? null,
      }));
      out.push({ id: `${base} (example ${k})`, tags: s.tags, steps });
    }
  }
  return out;
}
