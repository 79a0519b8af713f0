/**
 * Operators that bring rows from outside the graph: procedure calls and LOAD CSV.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { QuiverError } from '../../../errors/quiver-error.js';
import type { Value } from '../../../graph/values.js';
import type { Expr, YieldItem } from '../../ast.js';
import type { ProcedureDef, ProcedureParameter } from '../../procedures.js';
import { kindOf, type ValueKind } from '../../values/kind.js';
import { evaluate } from '../evaluate.js';
import { extendRow, type ExecState, type Row } from '../state.js';
import { Operator } from './operator.js';

export class ProcedureCallOp extends Operator {
  readonly name = 'ProcedureCall';

  /** `args` null: implicit arguments, taken from parameters of the same names. */
  constructor(source: Operator, readonly procedure: string, readonly args: readonly Expr[] | null,
    readonly yields: readonly YieldItem[] | null) {
    super(source);
  }

  override details(): string {
    return this.procedure;
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    const def = lookupProcedure(state, this.procedure);
    this.checkArgumentCount(def);
    for (const row of this.input(state, arg)) {
      const args = this.arguments(def, row, state);
      if (def.outputs.length === 0) {
        // A VOID procedure runs for its effect and passes each row on unchanged.
        const records = def.invoke(args, { graph: state.graph })[Symbol.iterator]();
        while (records.next().done !== true) continue;
        yield row;
        continue;
      }
      for (const record of def.invoke(args, { graph: state.graph })) {
        let next = row;
        const yields = this.yields ?? def.outputs.map((o) => ({ name: o.name, alias: o.name }));
        for (const item of yields) {
          const index = def.outputs.findIndex((o) => o.name === item.name);
          next = extendRow(next, item.alias, record[index] ?? null);
        }
        yield next;
      }
    }
  }

  /** Before any row: Neo4j finds a wrong argument count while compiling (a syntax error). */
  private checkArgumentCount(def: ProcedureDef): void {
    if (this.args === null) return;
    const required = def.inputs.filter((i) => i.default === undefined).length;
    if (this.args.length < required || this.args.length > def.inputs.length) {
      throw new QuiverError('SyntaxError',
        'Procedure call does not provide the required number of arguments: ' +
        `got ${this.args.length} ` +
        `expected at least ${required} (total: ${def.inputs.length}) for ${def.name}`);
    }
  }

  private arguments(def: ProcedureDef, row: Row, state: ExecState): Value[] {
    if (this.args === null) {
      return def.inputs.map((input) => {
        const value = state.params.get(input.name) ?? input.default;
        if (value === undefined) {
          throw new QuiverError('ParameterMissing', `Expected parameter(s): ${input.name}`);
        }
        return value;
      });
    }
    const given = this.args.map((a) => evaluate(a, row, state));
    return def.inputs.map((input, i) => (i < given.length
      ? coerceArgument(given[i] ?? null, input, def.name) : input.default ?? null));
  }
}

/** Declared input types that are checked; any other (ANY, temporal, ...) takes every value. */
const INPUT_KINDS: Readonly<Record<string, readonly ValueKind[]>> = {
  INTEGER: ['INTEGER'], FLOAT: ['FLOAT', 'INTEGER'], NUMBER: ['INTEGER', 'FLOAT'],
  STRING: ['STRING'], BOOLEAN: ['BOOLEAN'], MAP: ['MAP'], NODE: ['NODE'],
  RELATIONSHIP: ['RELATIONSHIP'], PATH: ['PATH'],
};

/** Checks an argument against its declared type; an INTEGER given for a FLOAT becomes one. */
function coerceArgument(value: Value, input: ProcedureParameter, procedure: string): Value {
  if (value === null) return null;
  const type = input.type.replace(/\?$/, '').toUpperCase();
  const allowed = type.startsWith('LIST') ? ['LIST'] : INPUT_KINDS[type];
  const kind = kindOf(value);
  if (allowed !== undefined && !allowed.includes(kind)) {
    throw new QuiverError('SyntaxError', `Type mismatch for argument \`${input.name}\` of ` +
      `${procedure}: expected ${type} but was ${kind}`);
  }
  return type === 'FLOAT' && typeof value === 'bigint' ? Number(value) : value;
}

export function lookupProcedure(state: ExecState, name: string): ProcedureDef {
  const def = state.procedures.lookup(name);
  if (def === undefined) {
    throw new QuiverError('ProcedureNotFound',
      `There is no procedure with the name \`${name}\` registered for this database instance. ` +
      'Please ensure you\'ve spelled the procedure name correctly and that the procedure is ' +
      'properly deployed.');
  }
  return def;
}

/** Files larger than this are refused rather than read into memory. */
export const csvFileBytesMax = 256 * 1024 * 1024;

function resolveImportFile(url: string, importDir: string | null): string {
  if (!url.startsWith('file:')) {
    throw new QuiverError('ExternalResourceFailed',
      `Cannot load from URL '${url}': only file:/// URLs inside the import directory are allowed`);
  }
  if (importDir === null) {
    throw new QuiverError('ExternalResourceFailed',
      `Cannot load from URL '${url}': LOAD CSV is disabled (no import directory configured)`);
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    throw new QuiverError('ExternalResourceFailed', `Invalid URL '${url}'`);
  }
  const root = realpathSync(importDir);
  const candidate = resolve(root, `.${path.startsWith('/') ? path : `/${path}`}`);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    throw new QuiverError('ExternalResourceFailed',
      `Couldn't load the external resource at: ${url}`);
  }
  const inside = relative(root, real);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new QuiverError('ExternalResourceFailed',
      `Cannot load from URL '${url}': the file is outside the import directory`);
  }
  return real;
}

function readCsv(url: string, state: ExecState, delimiter: string): string[][] {
  const file = resolveImportFile(url, state.importDir);
  if (statSync(file).size > csvFileBytesMax) {
    throw new QuiverError('ExternalResourceFailed',
      `${url} is larger than ${csvFileBytesMax} bytes`);
  }
  try {
    return parseCsv(readFileSync(file, 'utf8'), {
      delimiter, relax_column_count: true, bom: true, skip_empty_lines: true,
    }) as string[][];
  } catch (e) {
    throw new QuiverError('ExternalResourceFailed', `Cannot read ${url}: ${(e as Error).message}`);
  }
}

export class LoadCsvOp extends Operator {
  readonly name = 'LoadCSV';

  constructor(source: Operator, readonly url: Expr, readonly variable: string,
    readonly withHeaders: boolean, readonly fieldTerminator: string | null) {
    super(source);
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    for (const row of this.input(state, arg)) {
      const url = evaluate(this.url, row, state);
      if (typeof url !== 'string') {
        throw new QuiverError('TypeError', 'LOAD CSV expects a STRING URL');
      }
      const records = readCsv(url, state, this.fieldTerminator ?? ',');
      if (!this.withHeaders) {
        for (const record of records) yield extendRow(row, this.variable, record);
        continue;
      }
      const [header, ...body] = records;
      for (const record of body) {
        const map = new Map<string, Value>();
        (header ?? []).forEach((name, i) => {
          const field = record[i];
          map.set(name, field === undefined || field === '' ? null : field);
        });
        yield extendRow(row, this.variable, map);
      }
    }
  }
}
