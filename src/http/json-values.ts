/**
 * Cypher values to and from the JSON of Neo4j's HTTP APIs: plain JSON (Query API with
 * `application/json`), typed JSON (`application/vnd.neo4j.query`: `{"$type", "_value"}`) and the
 * row/meta pairs of the transactional endpoint.
 */
import { QuiverError } from '../errors/quiver-error.js';
import {
  CypherDate, DateTime, LocalDateTime, LocalTime, Node, NodeRef, Path, PathRef, Point,
  Relationship, RelRef, Time, isCypherMap, type CypherMap, type Value,
} from '../graph/values.js';
import { formatTemporal } from './temporal-text.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Parameters nested deeper than this are refused rather than recursed into. */
const JSON_DEPTH_MAX = 64;

function integerJson(value: bigint): number | string {
  // JSON numbers past 2^53 lose digits in most clients, so those travel as strings.
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}

export function formatPointWkt(point: Point): string {
  const z = point.z === null ? '' : ` ${point.z}`;
  return `SRID=${point.srid};POINT${point.z === null ? '' : ' Z'} (${point.x} ${point.y}${z})`;
}

function mapEntries(map: CypherMap, convert: (value: Value) => Json): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, value] of map) out[key] = convert(value);
  return out;
}

export function toPlainJson(value: Value): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return integerJson(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (isCypherMap(value)) return mapEntries(value, toPlainJson);
  if (value instanceof Node) {
    return { elementId: value.elementId, labels: [...value.labels],
      properties: mapEntries(value.properties, toPlainJson) };
  }
  if (value instanceof Relationship) {
    return { elementId: value.elementId, startNodeElementId: value.startElementId,
      endNodeElementId: value.endElementId, type: value.type,
      properties: mapEntries(value.properties, toPlainJson) };
  }
  if (value instanceof Path) return pathItems(value).map(toPlainJson);
  if (value instanceof Point) return formatPointWkt(value);
  return referenceOrTemporal(value);
}

function pathItems(path: Path): Array<Node | Relationship> {
  const items: Array<Node | Relationship> = [];
  path.nodes.forEach((node, i) => {
    items.push(node);
    const rel = path.rels[i];
    if (rel !== undefined) items.push(rel);
  });
  return items;
}

/** Unmaterialised references should not reach a result; show their id rather than fail. */
function referenceOrTemporal(value: Value): Json {
  if (value instanceof NodeRef || value instanceof RelRef) return { id: value.id };
  if (value instanceof PathRef) return value.nodes.map((node) => ({ id: node.id }));
  return formatTemporal(value) ?? null;
}

function typed(type: string, value: Json): Json {
  return { $type: type, _value: value };
}

function temporalType(value: Value): string {
  if (value instanceof CypherDate) return 'Date';
  if (value instanceof LocalTime) return 'LocalTime';
  if (value instanceof Time) return 'Time';
  if (value instanceof LocalDateTime) return 'LocalDateTime';
  if (value instanceof DateTime) return value.zoneId === null ? 'OffsetDateTime' : 'ZonedDateTime';
  return 'Duration';
}

export function toTypedJson(value: Value): Json {
  if (value === null) return typed('Null', null);
  if (typeof value === 'boolean') return typed('Boolean', value);
  if (typeof value === 'string') return typed('String', value);
  if (typeof value === 'number') return typed('Float', String(value));
  if (typeof value === 'bigint') return typed('Integer', value.toString());
  if (value instanceof Uint8Array) return typed('Base64', Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return typed('List', value.map(toTypedJson));
  if (isCypherMap(value)) return typed('Map', mapEntries(value, toTypedJson));
  if (value instanceof Node) {
    return typed('Node', { _element_id: value.elementId, _labels: [...value.labels],
      _properties: mapEntries(value.properties, toTypedJson) });
  }
  if (value instanceof Relationship) {
    return typed('Relationship', { _element_id: value.elementId,
      _start_node_element_id: value.startElementId, _end_node_element_id: value.endElementId,
      _type: value.type, _properties: mapEntries(value.properties, toTypedJson) });
  }
  if (value instanceof Path) return typed('Path', pathItems(value).map(toTypedJson));
  if (value instanceof Point) return typed('Point', formatPointWkt(value));
  const text = formatTemporal(value);
  if (text !== null) return typed(temporalType(value), text);
  return typed('Null', referenceOrTemporal(value));
}

/** The transactional endpoint's `row` entry: entities as their property maps. */
export function toRow(value: Value): Json {
  if (value instanceof Node || value instanceof Relationship) {
    return mapEntries(value.properties, toRow);
  }
  if (value instanceof Path) return pathItems(value).map(toRow);
  if (Array.isArray(value)) return value.map(toRow);
  if (isCypherMap(value)) return mapEntries(value, toRow);
  return toPlainJson(value);
}

/** The transactional endpoint's `meta` entry: what the row entry was, for entities. */
export function toMeta(value: Value): Json {
  if (value instanceof Node) {
    return { id: value.id, elementId: value.elementId, type: 'node', deleted: false };
  }
  if (value instanceof Relationship) {
    return { id: value.id, elementId: value.elementId, type: 'relationship', deleted: false };
  }
  if (value instanceof Path) return pathItems(value).map(toMeta);
  if (Array.isArray(value)) return value.map(toMeta);
  if (value instanceof Point) return { type: 'point' };
  if (formatTemporal(value) !== null) return { type: temporalType(value).toLowerCase() };
  return null;
}

function invalid(message: string): QuiverError {
  return new QuiverError('InvalidFormat', message);
}

/** Plain JSON parameters: integral numbers become INTEGER, others FLOAT, objects MAP. */
export function valueFromPlainJson(json: unknown, depth = 0): Value {
  if (depth > JSON_DEPTH_MAX) throw invalid(`Parameters nest deeper than ${JSON_DEPTH_MAX}`);
  if (json === null || typeof json === 'boolean' || typeof json === 'string') return json;
  if (typeof json === 'number') return Number.isInteger(json) ? BigInt(json) : json;
  if (Array.isArray(json)) return json.map((item) => valueFromPlainJson(item, depth + 1));
  if (typeof json === 'object') {
    const map: CypherMap = new Map();
    for (const [key, item] of Object.entries(json)) {
      map.set(key, valueFromPlainJson(item, depth + 1));
    }
    return map;
  }
  throw invalid('Unsupported parameter value');
}

const TYPED_SCALARS: Readonly<Record<string, (raw: unknown) => Value>> = {
  Null: () => null,
  Boolean: (raw) => (typeof raw === 'boolean' ? raw : badTyped('Boolean')),
  String: (raw) => (typeof raw === 'string' ? raw : badTyped('String')),
  Integer: (raw) => {
    if ((typeof raw !== 'string' && typeof raw !== 'number') || !/^-?\d+$/.test(String(raw))) {
      return badTyped('Integer');
    }
    return BigInt(raw);
  },
  Float: (raw) => {
    const value = Number(raw);
    return (typeof raw === 'string' || typeof raw === 'number') && !Number.isNaN(value) ? value
      : badTyped('Float');
  },
  Base64: (raw) => (typeof raw === 'string' ? new Uint8Array(Buffer.from(raw, 'base64'))
    : badTyped('Base64')),
  Date: (raw) => {
    const match = typeof raw === 'string' ? /^(-?\d{4,})-(\d\d)-(\d\d)$/.exec(raw) : null;
    return match === null ? badTyped('Date')
      : new CypherDate(Number(match[1]), Number(match[2]), Number(match[3]));
  },
};

function badTyped(type: string): never {
  throw invalid(`Invalid ${type} value in typed JSON parameters`);
}

/** Typed JSON parameters (`{"$type": "Integer", "_value": "1"}`). */
export function valueFromTypedJson(json: unknown, depth = 0): Value {
  if (depth > JSON_DEPTH_MAX) throw invalid(`Parameters nest deeper than ${JSON_DEPTH_MAX}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid('Typed JSON values are objects with $type and _value');
  }
  const { $type: type, _value: raw } = json as { $type?: unknown; _value?: unknown };
  if (type === 'List' && Array.isArray(raw)) {
    return raw.map((item) => valueFromTypedJson(item, depth + 1));
  }
  if (type === 'Map' && typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const map: CypherMap = new Map();
    for (const [key, item] of Object.entries(raw)) {
      map.set(key, valueFromTypedJson(item, depth + 1));
    }
    return map;
  }
  const scalar = typeof type === 'string' ? TYPED_SCALARS[type] : undefined;
  if (scalar === undefined) throw invalid(`Unsupported parameter type: ${String(type)}`);
  return scalar(raw);
}

export function parametersFromJson(json: unknown, typedJson: boolean): Map<string, Value> {
  if (json === undefined || json === null) return new Map();
  if (typeof json !== 'object' || Array.isArray(json)) {
    throw invalid('parameters must be a JSON object');
  }
  const params = new Map<string, Value>();
  for (const [key, item] of Object.entries(json)) {
    params.set(key, typedJson ? valueFromTypedJson(item) : valueFromPlainJson(item));
  }
  return params;
}
