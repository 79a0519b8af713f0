/**
 * Neo4j's import header: one field per column, `name:type` (a property; `name` alone is a
 * string), `:ID` / `name:ID(Group)` (node id in an id space, `name` also stores it), `:LABEL`,
 * `:START_ID(Group)`, `:END_ID(Group)`, `:TYPE`, `:IGNORE`. Types may be arrays (`string[]`)
 * and take options in braces (`when:datetime{timezone:+02:00}`, `at:point{crs:WGS-84}`).
 */

export const PROPERTY_TYPES = ['int', 'long', 'short', 'byte', 'float', 'double', 'boolean',
  'char', 'string', 'point', 'date', 'localtime', 'time', 'localdatetime', 'datetime',
  'duration'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export interface PropertyColumn {
  readonly kind: 'property';
  readonly name: string;
  readonly type: PropertyType;
  readonly array: boolean;
  /** The `{...}` text after the type, without braces; '' when none. */
  readonly options: string;
}

export type Column =
  | PropertyColumn
  | { readonly kind: 'id'; readonly group: string; readonly property: string | null }
  | { readonly kind: 'label' }
  | { readonly kind: 'start'; readonly group: string }
  | { readonly kind: 'end'; readonly group: string }
  | { readonly kind: 'type' }
  | { readonly kind: 'ignore' };

/** The id space of `:ID` without a group (Neo4j's "global id space"). */
export const GLOBAL_GROUP = '';

export type HeaderResult =
  | { readonly ok: true; readonly columns: readonly Column[] }
  | { readonly ok: false; readonly reason: string };

const SPECIAL = /^(ID|START_ID|END_ID)(?:\((.*)\))?$/;
const TYPED = /^([a-z]+)(\[\])?(?:\{(.*)\})?$/i;

export function parseColumn(field: string): Column | string {
  const colon = field.lastIndexOf(':', field.includes('{') ? field.indexOf('{') : field.length);
  const name = colon < 0 ? field : field.slice(0, colon);
  const spec = colon < 0 ? '' : field.slice(colon + 1);
  if (spec === '') {
    return name === '' ? 'empty header field' : propertyColumn(name, 'string', false, '');
  }
  const special = SPECIAL.exec(spec);
  if (special !== null) {
    const group = special[2] ?? GLOBAL_GROUP;
    if (special[1] === 'ID') return { kind: 'id', group, property: name === '' ? null : name };
    return { kind: special[1] === 'START_ID' ? 'start' : 'end', group };
  }
  if (spec === 'LABEL') return { kind: 'label' };
  if (spec === 'TYPE') return { kind: 'type' };
  if (spec === 'IGNORE') return { kind: 'ignore' };
  const typed = TYPED.exec(spec);
  const type = typed?.[1]?.toLowerCase();
  if (typed === null || !PROPERTY_TYPES.includes(type as PropertyType)) {
    return `unknown type '${spec}' in header field '${field}'`;
  }
  if (name === '') return `header field '${field}' needs a property name`;
  return propertyColumn(name, type as PropertyType, typed[2] !== undefined, typed[3] ?? '');
}

function propertyColumn(name: string, type: PropertyType, array: boolean, options: string):
  PropertyColumn {
  return { kind: 'property', name, type, array, options };
}

/** Columns of a node or relationship header, with the checks Neo4j makes before reading data. */
export function parseHeader(fields: readonly string[], entity: 'nodes' | 'relationships',
  defaultType: string | null): HeaderResult {
  const columns: Column[] = [];
  for (const field of fields) {
    const column = parseColumn(field.trim());
    if (typeof column === 'string') return { ok: false, reason: column };
    columns.push(column);
  }
  const has = (kind: Column['kind']): boolean => columns.some((c) => c.kind === kind);
  if (entity === 'nodes') {
    if (has('start') || has('end') || has('type')) {
      return { ok: false, reason: 'a node header has :START_ID, :END_ID or :TYPE' };
    }
    if (columns.filter((c) => c.kind === 'id').length > 1) {
      return { ok: false, reason: 'a node header has more than one :ID column' };
    }
    return { ok: true, columns };
  }
  for (const [kind, field] of [['start', ':START_ID'], ['end', ':END_ID']] as const) {
    if (!has(kind)) return { ok: false, reason: `Relationship missing mandatory field '${field}'` };
  }
  if (!has('type') && defaultType === null) {
    return { ok: false, reason: "Relationship missing mandatory field ':TYPE'" };
  }
  if (has('id') || has('label')) {
    return { ok: false, reason: 'a relationship header has :ID or :LABEL' };
  }
  return { ok: true, columns };
}
