/**
 * Runs openCypher TCK scenarios against the embedded engine, each on a fresh in-memory database,
 * and says for each whether it passed and, if not, why.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Database } from '../../src/db/database.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import type { Value } from '../../src/graph/values.js';
import { parseFeature, type Scenario, type Step } from './gherkin.js';
import { measureGraph, sideEffects, type GraphFacts } from './side-effects.js';
import { canonActual, canonExpected } from './tck-values.js';

export interface Outcome {
  readonly id: string;
  readonly passed: boolean;
  readonly reason: string;
}

export async function loadScenarios(root: string, folder: string): Promise<Scenario[]> {
  const files = (await readdir(folder, { recursive: true }))
    .filter((f) => f.endsWith('.feature')).sort();
  const out: Scenario[] = [];
  for (const f of files) {
    const path = join(folder, f);
    out.push(...parseFeature(await readFile(path, 'utf8'), relative(root, path)));
  }
  return out.filter((s) => !s.tags.includes('@ignore'));
}

/** A cell in TCK notation is a Cypher literal, so Cypher itself turns it into a value. */
async function literal(scratch: Database, cell: string): Promise<Value> {
  const r = await scratch.run(`RETURN ${cell} AS v`);
  return r.records[0]?.[0] ?? null;
}

interface Run {
  db: Database;
  params: Map<string, Value>;
  result: { keys: readonly string[]; records: Value[][] } | null;
  error: QuiverError | null;
  before: GraphFacts | null;
}

export async function runScenario(s: Scenario, scratch: Database, graphs: string): Promise<Outcome> {
  const run: Run = { db: await Database.open(null), params: new Map(), result: null, error: null,
    before: null };
  try {
    for (const step of s.steps) {
      const failure = await runStep(step, run, scratch, graphs);
      if (failure) return { id: s.id, passed: false, reason: failure };
    }
    return { id: s.id, passed: true, reason: '' };
  } catch (e) {
    return { id: s.id, passed: false, reason: `runner: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    await run.db.close();
  }
}

async function runStep(step: Step, run: Run, scratch: Database, graphs: string): Promise<string | null> {
  const t = step.text;
  if (t === 'an empty graph' || t === 'any graph') return null;
  const named = /^the (\S+) graph$/.exec(t);
  if (named) {
    const script = await readFile(join(graphs, named[1]!, `${named[1]!}.cypher`), 'utf8');
    await run.db.run(script);
    return null;
  }
  if (t.startsWith('having executed')) {
    await run.db.run(step.docString ?? '', run.params);
    return null;
  }
  if (t.startsWith('parameters are')) {
    for (const [name, cell] of step.table ?? []) run.params.set(name ?? '', await literal(scratch, cell ?? 'null'));
    return null;
  }
  if (t.startsWith('there exists a procedure')) return defineProcedure(step, run, scratch);
  if (t.startsWith('executing query') || t.startsWith('executing control query')) {
    return execute(step, run, t.startsWith('executing query'));
  }
  return checkStep(step, run);
}

async function execute(step: Step, run: Run, main: boolean): Promise<string | null> {
  if (main) run.before = measureGraph(run.db);
  run.result = null;
  run.error = null;
  try {
    const r = await run.db.run(step.docString ?? '', run.params);
    run.result = { keys: r.keys, records: r.records };
  } catch (e) {
    if (!(e instanceof QuiverError)) return `crashed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
    run.error = e;
  }
  return null;
}

const ERROR_CODES: Record<string, string[]> = {
  SyntaxError: ['Statement.SyntaxError', 'Statement.SemanticError'],
  SemanticError: ['Statement.SemanticError', 'Statement.SyntaxError'],
  TypeError: ['Statement.TypeError'],
  ArgumentError: ['Statement.ArgumentError'],
  EntityNotFound: ['Statement.EntityNotFound'],
  ParameterMissing: ['Statement.ParameterMissing'],
  ProcedureError: ['Procedure.'],
  ConstraintVerificationFailed: ['Schema.ConstraintValidationFailed'],
};

function checkStep(step: Step, run: Run): string | null {
  const t = step.text;
  const error = /^an? (\w+) should be raised at ([\w ]+): (\w+)$/.exec(t);
  if (error) {
    if (!run.error) return `expected ${error[1]} (${error[3]}), got a result`;
    const codes = ERROR_CODES[error[1]!] ?? [error[1]!];
    if (!codes.some((c) => run.error!.code.includes(c))) {
      return `expected ${error[1]} (${error[3]}), got ${run.error.code}: ${run.error.message}`;
    }
    return null;
  }
  if (run.error) return `unexpected error ${run.error.code}: ${run.error.message.split('\n')[0]}`;
  if (t === 'the result should be empty') {
    return run.result?.records.length === 0 ? null : `expected no rows, got ${run.result?.records.length}`;
  }
  const result = /^the result should be(, in order)?(?: \(ignoring element order for lists\))?(, in any order)?:?$/.exec(t);
  if (result) {
    return compareResult(step.table ?? [], run, !!result[1], t.includes('ignoring element order'));
  }
  if (t === 'no side effects' || t.startsWith('the side effects should be')) {
    return checkSideEffects(step, run);
  }
  return `unknown step: ${t}`;
}

function compareResult(table: string[][], run: Run, ordered: boolean, unorderedLists: boolean): string | null {
  const [header = [], ...rows] = table;
  const r = run.result!;
  if (header.join('|') !== r.keys.join('|')) return `columns ${JSON.stringify(r.keys)} != expected ${JSON.stringify(header)}`;
  const o = { unorderedLists };
  const expected = rows.map((row) => row.map((c) => canonExpected(unescapeCell(c), o))
    .join(' | '));
  const actual = r.records.map((rec) => rec.map((v) => canonActual(v, o)).join(' | '));
  const e = ordered ? expected : [...expected].sort();
  const a = ordered ? actual : [...actual].sort();
  if (e.length === a.length && e.every((x, i) => x === a[i])) return null;
  return `result mismatch:\n      expected ${JSON.stringify(e).slice(0, 400)}\n      actual   ${JSON.stringify(a).slice(0, 400)}`;
}

/** Gherkin's escapes inside table cells: `\\` is a backslash and `\n` a newline. */
function unescapeCell(cell: string): string {
  return cell.replace(/\\([\\n])/g, (_, ch: string) => (ch === 'n' ? '\n' : '\\'));
}

function checkSideEffects(step: Step, run: Run): string | null {
  if (!run.before) return 'no query was executed';
  const got = sideEffects(run.before, measureGraph(run.db));
  const want = new Map<string, number>((step.table ?? []).map(([k, v]) => [k ?? '', Number(v)]));
  for (const key of new Set([...got.keys(), ...want.keys()])) {
    if ((got.get(key) ?? 0) !== (want.get(key) ?? 0)) {
      return `side effects ${JSON.stringify([...got])} != expected ${JSON.stringify([...want])}`;
    }
  }
  return null;
}

async function defineProcedure(step: Step, run: Run, scratch: Database): Promise<string | null> {
  const m = /^there exists a procedure ([\w.]+)\((.*?)\) :: \((.*?)\)\s*:$/.exec(step.text);
  if (!m) return `cannot read procedure signature: ${step.text}`;
  const params = (s: string): { name: string; type: string }[] => s.trim() === '' ? []
    : s.split(',').map((p) => {
      const [name = '', type = 'ANY?'] = p.split('::').map((x) => x.trim());
      return { name, type: type.replace('?', '') };
    });
  const inputs = params(m[2]!);
  const outputs = params(m[3]!);
  const [, ...rows] = step.table ?? [];
  const table: Value[][] = [];
  for (const row of rows) table.push(await Promise.all(row.map((c) => literal(scratch, c))));
  const o = { unorderedLists: false };
  run.db.procedures.register({
    name: m[1]!, mode: 'READ', description: 'TCK test procedure', inputs, outputs,
    invoke: (args) => table
      .filter((row) => inputs.every((_, i) => canonActual(row[i] ?? null, o) === canonActual(args[i] ?? null, o)))
      .map((row) => row.slice(inputs.length)),
  });
  return null;
}
