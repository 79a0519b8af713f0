/**
 * Updating clauses. Each one takes its whole input before writing and finishes all its writes
 * before passing rows on, so a clause never sees its own effects half-done and a later clause
 * sees all of them (what Neo4j's Eager operator guarantees).
 */
import { QuiverError } from '../../../errors/quiver-error.js';
import type { GraphWriter } from '../../../graph/types.js';
import { NodeRef, PathRef, RelRef, isCypherMap, type Value } from '../../../graph/values.js';
import type { Expr, RemoveItem, SetItem } from '../../ast.js';
import { typeName } from '../../values/type-names.js';
import { evaluate } from '../evaluate.js';
import { plainLabels } from '../label-match.js';
import { buildPath, matchChains } from '../pattern-match.js';
import { NO_HINTS, type ChainSpec, type NodeSpec, type RelSpec } from '../pattern-spec.js';
import { extendRow, requireWriter, type ExecState, type Row } from '../state.js';
import { propertiesOf } from '../value-ops.js';
import { Operator } from './operator.js';

abstract class EagerWriteOp extends Operator {
  protected abstract write(row: Row, state: ExecState, out: Row[]): void;

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    const input = Array.from(this.input(state, arg));
    const out: Row[] = [];
    for (const row of input) this.write(row, state, out);
    yield* out;
  }
}

/** What a pattern without a property map creates with; never written to. */
const NO_PROPERTIES: ReadonlyMap<string, Value> = new Map();

/**
 * A pattern's property map in this row, null entries left out. The map evaluated is returned
 * as it is when it has no null: this runs for every entity a load creates, and the writer
 * copies what it keeps.
 */
function mapOf(expr: Expr | null, row: Row, state: ExecState): ReadonlyMap<string, Value> {
  if (expr === null) return NO_PROPERTIES;
  const value = evaluate(expr, row, state);
  if (value === null) return NO_PROPERTIES;
  if (!isCypherMap(value)) {
    throw new QuiverError('TypeError', `Expected a map of properties but was ${typeName(value)}`);
  }
  for (const v of value.values()) {
    if (v === null) return new Map([...value].filter(([, item]) => item !== null));
  }
  return value;
}

function createNode(spec: NodeSpec, row: Row, state: ExecState): Row {
  const labels = plainLabels(spec.labels);
  if (labels === null) {
    throw new QuiverError('SyntaxError', 'Label expressions are not allowed in CREATE or MERGE');
  }
  const id = requireWriter(state).createNode(labels, mapOf(spec.properties, row, state));
  return extendRow(row, spec.name, new NodeRef(id));
}

function boundNode(spec: NodeSpec, row: Row, relName: string): NodeRef | undefined {
  const value = row.get(spec.name);
  if (value === undefined) return undefined;
  if (value instanceof NodeRef) return value;
  if (value === null) {
    throw new QuiverError('SemanticError',
      `Failed to create relationship \`${relName}\`, node \`${spec.name}\` is missing. ` +
      'If you prefer to simply ignore rows where a relationship node is missing, set ' +
      "'cypher.lenient_create_relationship = true' in neo4j.conf");
  }
  throw new QuiverError('TypeError',
    `Expected \`${spec.name}\` to be a Node but was ${typeName(value)}`);
}

/**
 * Creates the unbound parts of a chain (CREATE, and MERGE when nothing matched). Plain loops
 * and no destructured pairs: a load runs this once per row.
 */
export function createChain(chain: ChainSpec, row: Row, state: ExecState): Row {
  const writer = requireWriter(state);
  let next = row;
  for (const spec of chain.nodes) {
    if (boundNode(spec, next, spec.name) === undefined) next = createNode(spec, next, state);
  }
  for (let i = 0; i < chain.rels.length; i++) {
    const rel = chain.rels[i] as RelSpec;
    const left = boundNode(chain.nodes[i] as NodeSpec, next, rel.name) as NodeRef;
    const right = boundNode(chain.nodes[i + 1] as NodeSpec, next, rel.name) as NodeRef;
    const incoming = rel.direction === 'in';
    const id = writer.createRelationship({ type: rel.types[0] ?? '',
      start: incoming ? right.id : left.id, end: incoming ? left.id : right.id,
      properties: mapOf(rel.properties, next, state) });
    // Only a path reads an anonymous relationship back from the row.
    if (rel.named || chain.pathVariable !== null) next = extendRow(next, rel.name, new RelRef(id));
  }
  if (chain.pathVariable !== null) next = extendRow(next, chain.pathVariable, buildPath(chain,
    next));
  return next;
}

export class CreateOp extends EagerWriteOp {
  readonly name = 'Create';

  constructor(source: Operator, readonly chains: readonly ChainSpec[]) {
    super(source);
  }

  protected write(row: Row, state: ExecState, out: Row[]): void {
    let next = row;
    for (const chain of this.chains) next = createChain(chain, next, state);
    out.push(next);
  }
}

export class MergeOp extends EagerWriteOp {
  readonly name = 'Merge';

  constructor(source: Operator, readonly chain: ChainSpec, readonly onCreate: readonly SetItem[],
    readonly onMatch: readonly SetItem[]) {
    super(source);
  }

  protected write(row: Row, state: ExecState, out: Row[]): void {
    const matches = Array.from(matchChains([this.chain], NO_HINTS, row, state));
    if (matches.length > 0) {
      for (const matched of matches) {
        for (const item of this.onMatch) applySet(item, matched, state);
        out.push(matched);
      }
      return;
    }
    this.rejectNullProperties(row, state);
    const created = createChain(this.chain, row, state);
    for (const item of this.onCreate) applySet(item, created, state);
    out.push(created);
  }

  private rejectNullProperties(row: Row, state: ExecState): void {
    for (const part of [...this.chain.nodes, ...this.chain.rels]) {
      if (part.properties === null) continue;
      const value = evaluate(part.properties, row, state);
      if (!isCypherMap(value)) continue;
      for (const [key, v] of value) {
        if (v === null) {
          throw new QuiverError('SemanticError',
            `Cannot merge the following ${'types' in part ? 'relationship' : 'node'} because of ` +
            `null property value for '${key}': (${part.named ? part.name : ''} {${key}: null})`);
        }
      }
    }
  }
}

function setProperty(writer: GraphWriter, target: Value, key: string, value: Value): void {
  if (target === null) return;
  if (target instanceof NodeRef) writer.setNodeProperty(target.id, key, value);
  else if (target instanceof RelRef) writer.setRelProperty(target.id, key, value);
  else {
    throw new QuiverError('TypeError',
      `Type mismatch: expected Node or Relationship but was ${typeName(target)}`);
  }
}

function setAll(writer: GraphWriter, target: Value, value: Value, replace: boolean,
  state: ExecState): void {
  if (target === null) return;
  const wanted = value === null ? new Map<string, Value>() : propertiesOf(state.graph,
    value) ?? new Map();
  if (replace) {
    const current = propertiesOf(state.graph, target) ?? new Map<string, Value>();
    for (const key of current.keys()) if (!wanted.has(key)) setProperty(writer, target, key, null);
  }
  for (const [key, v] of wanted) setProperty(writer, target, key, v);
}

export function applySet(item: SetItem, row: Row, state: ExecState): void {
  const writer = requireWriter(state);
  switch (item.kind) {
    case 'setProperty':
      setProperty(writer, evaluate(item.target, row, state), item.key, evaluate(item.value, row,
        state));
      return;
    case 'setDynamicProperty': {
      const key = evaluate(item.key, row, state);
      if (typeof key !== 'string') {
        throw new QuiverError('TypeError',
          `Expected a STRING property key but was ${typeName(key)}`);
      }
      setProperty(writer, evaluate(item.target, row, state), key, evaluate(item.value, row, state));
      return;
    }
    case 'replaceProperties': case 'mergeProperties':
      setAll(writer, row.get(item.variable) ?? null, evaluate(item.value, row, state),
        item.kind === 'replaceProperties', state);
      return;
    case 'setLabels': {
      const node = row.get(item.variable) ?? null;
      if (node === null) return;
      if (!(node instanceof NodeRef)) {
        throw new QuiverError('TypeError',
          `Type mismatch: expected Node but was ${typeName(node)}`);
      }
      for (const label of item.labels) writer.addLabel(node.id, label);
    }
  }
}

export class SetOp extends EagerWriteOp {
  readonly name = 'SetProperty';

  constructor(source: Operator, readonly items: readonly SetItem[]) {
    super(source);
  }

  protected write(row: Row, state: ExecState, out: Row[]): void {
    for (const item of this.items) applySet(item, row, state);
    out.push(row);
  }
}

export class RemoveOp extends EagerWriteOp {
  readonly name = 'RemoveLabels';

  constructor(source: Operator, readonly items: readonly RemoveItem[]) {
    super(source);
  }

  protected write(row: Row, state: ExecState, out: Row[]): void {
    const writer = requireWriter(state);
    for (const item of this.items) {
      if (item.kind === 'removeProperty') {
        setProperty(writer, evaluate(item.target, row, state), item.key, null);
        continue;
      }
      const node = row.get(item.variable) ?? null;
      if (node === null) continue;
      if (!(node instanceof NodeRef)) {
        throw new QuiverError('TypeError',
          `Type mismatch: expected Node but was ${typeName(node)}`);
      }
      for (const label of item.labels) writer.removeLabel(node.id, label);
    }
    out.push(row);
  }
}

export class DeleteOp extends EagerWriteOp {
  readonly name: string;

  constructor(source: Operator, readonly exprs: readonly Expr[], readonly detach: boolean) {
    super(source);
    this.name = detach ? 'DetachDelete' : 'Delete';
  }

  protected write(row: Row, state: ExecState, out: Row[]): void {
    for (const expr of this.exprs) this.remove(evaluate(expr, row, state), state);
    out.push(row);
  }

  private remove(value: Value, state: ExecState): void {
    const writer = requireWriter(state);
    if (value === null) return;
    if (value instanceof NodeRef) {
      if (!writer.nodeExists(value.id)) return;
      if (this.detach) writer.detachDeleteNode(value.id);
      else writer.deleteNode(value.id);
    } else if (value instanceof RelRef) {
      if (writer.relExists(value.id)) writer.deleteRelationship(value.id);
    } else if (value instanceof PathRef) {
      for (const rel of value.rels) this.remove(rel, state);
      for (const node of value.nodes) this.remove(node, state);
    } else if (Array.isArray(value)) {
      for (const item of value) this.remove(item, state);
    } else {
      throw new QuiverError('TypeError',
        `Expected a Node, Relationship or Path, but got a ${typeName(value)}`);
    }
  }
}

export class ForeachOp extends EagerWriteOp {
  readonly name = 'Foreach';

  constructor(source: Operator, readonly variable: string, readonly list: Expr,
    readonly body: Operator) {
    super(source);
  }

  override get children(): readonly Operator[] {
    return [this.source as Operator, this.body];
  }

  protected write(row: Row, state: ExecState, out: Row[]): void {
    const list = evaluate(this.list, row, state);
    if (list !== null) {
      if (!Array.isArray(list)) {
        throw new QuiverError('TypeError',
          `Type mismatch: expected List<T> but was ${typeName(list)}`);
      }
      for (const item of list) {
        for (const _ of this.body.run(state, extendRow(row, this.variable, item))) { /* effects */ }
      }
    }
    out.push(row);
  }
}
