/**
 * Values as text: formatValue is what toString() and string concatenation print (floats the
 * way Java prints doubles, temporals in ISO 8601); tckLiteral is the openCypher TCK's result
 * table notation ('abc', [1, 2], {a: 1}, (:L {p: 1}), [:T], <(:A)-[:T]->()>).
 */
import { assert } from '../../assert.js';
import type { GraphReader } from '../../graph/types.js';
import {
  Duration, Node, NodeRef, Path, PathRef, Point, Relationship, RelRef, type CypherMap,
  type Value,
} from '../../graph/values.js';
import { isTemporal } from './kind.js';
import { crsOf } from './point.js';
import { formatDuration, formatTemporal } from './temporal/format-temporal.js';

/** Java's Double.toString: plain between 1e-3 and 1e7, else d.dddE±n; always a '.'. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const plain = String(x);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa = '', exponent = ''] = x.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

export function formatPoint(p: Point): string {
  const crs = crsOf(p);
  const z = p.z === null ? '' : `, z: ${formatFloat(p.z)}`;
  return `point({x: ${formatFloat(p.x)}, y: ${formatFloat(p.y)}${z}, crs: '${crs.name}'})`;
}

/** The text toString() gives, and what `'text' + value` appends. */
export function formatValue(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'number':
      return formatFloat(v);
    case 'string':
      return v;
    default:
      break;
  }
  if (isTemporal(v)) return formatTemporal(v);
  if (v instanceof Duration) return formatDuration(v);
  if (v instanceof Point) return formatPoint(v);
  return tckLiteral(v);
}

function quote(s: string): string {
  const escaped = s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t').replace(/\r/g, '\\r');
  return `'${escaped}'`;
}

function name(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? s : `\`${s.replace(/`/g, '``')}\``;
}

/** Floats as the TCK writes them: 1.0, 3.6, 1e-305, 1.2635418652381264e305, NaN. */
function tckFloat(x: number): string {
  const abs = Math.abs(x);
  if (!Number.isFinite(x) || x === 0 || (abs >= 1e-3 && abs < 1e7)) return formatFloat(x);
  return x.toExponential().replace('e+', 'e');
}

function mapLiteral(map: ReadonlyMap<string, Value>, graph: GraphReader | undefined): string {
  const entries = [...map].map(([k, val]) => `${name(k)}: ${tckLiteral(val, graph)}`);
  return `{${entries.join(', ')}}`;
}

function propsSuffix(props: ReadonlyMap<string, Value>, graph: GraphReader | undefined): string {
  return props.size === 0 ? '' : ` ${mapLiteral(props, graph)}`;
}

function nodeLiteral(n: Node | NodeRef, graph: GraphReader | undefined): string {
  const labels = n instanceof Node ? n.labels : requireGraph(graph).nodeLabels(n.id);
  const props = n instanceof Node ? n.properties : requireGraph(graph).nodeProperties(n.id);
  const text = labels.map((l) => `:${name(l)}`).join('') + propsSuffix(props, graph);
  return `(${text.trimStart()})`;
}

function relLiteral(r: Relationship | RelRef, graph: GraphReader | undefined): string {
  const type = r instanceof Relationship ? r.type : requireGraph(graph).relType(r.id);
  const props = r instanceof Relationship ? r.properties : requireGraph(graph).relProperties(r.id);
  return `[:${name(type)}${propsSuffix(props, graph)}]`;
}

function relStart(r: Relationship | RelRef, graph: GraphReader | undefined): number {
  return r instanceof Relationship ? r.startId : requireGraph(graph).relStart(r.id);
}

function pathLiteral(p: Path | PathRef, graph: GraphReader | undefined): string {
  const first = p.nodes[0];
  assert(first !== undefined, 'pathLiteral: a path has at least one node');
  let text = nodeLiteral(first, graph);
  p.rels.forEach((rel, i) => {
    const from = p.nodes[i];
    const to = p.nodes[i + 1];
    assert(from !== undefined && to !== undefined, 'pathLiteral: nodes = rels + 1');
    const forward = relStart(rel, graph) === from.id;
    const r = relLiteral(rel, graph);
    text += (forward ? `-${r}->` : `<-${r}-`) + nodeLiteral(to, graph);
  });
  return `<${text}>`;
}

function requireGraph(graph: GraphReader | undefined): GraphReader {
  assert(graph !== undefined, 'tckLiteral: a reference needs the graph to be printed');
  return graph;
}

/** TCK result-table notation; references (NodeRef …) are resolved through `graph`. */
export function tckLiteral(v: Value, graph?: GraphReader): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'number':
      return tckFloat(v);
    case 'string':
      return quote(v);
    default:
      break;
  }
  if (Array.isArray(v)) return `[${v.map((e) => tckLiteral(e, graph)).join(', ')}]`;
  if (v instanceof Map) return mapLiteral(v as CypherMap, graph);
  if (v instanceof Node || v instanceof NodeRef) return nodeLiteral(v, graph);
  if (v instanceof Relationship || v instanceof RelRef) return relLiteral(v, graph);
  if (v instanceof Path || v instanceof PathRef) return pathLiteral(v, graph);
  if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString('hex')}`;
  if (v instanceof Point) return formatPoint(v);
  return quote(formatValue(v));
}
