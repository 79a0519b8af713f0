/**
 * How a result value reads in the table: nodes as `(:Label {props})`, relationships as
 * `[:TYPE {props}]`, paths as their chain, temporal and spatial values as their Cypher text.
 */
import { isNode, isPath, isRelationship } from 'neo4j-driver';

/** A cell is cut here so that one huge value cannot stall the page. */
export const CELL_CHARS_MAX = 2000;

function propertiesText(properties: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(properties);
  if (entries.length === 0) return '';
  return ` {${entries.map(([key, value]) => `${key}: ${valueText(value)}`).join(', ')}}`;
}

export function valueText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (isNode(value)) {
    return `(${value.labels.map((label) => `:${label}`).join('')}` +
      `${propertiesText(value.properties as Record<string, unknown>)})`;
  }
  if (isRelationship(value)) {
    return `[:${value.type}${propertiesText(value.properties as Record<string, unknown>)}]`;
  }
  if (isPath(value)) {
    return value.segments.map((segment) => `${valueText(segment.start)}-` +
      `${valueText(segment.relationship)}->`).join('') + valueText(value.end);
  }
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  if (Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value).map(([key, item]) => `${key}: ${valueText(item)}`)
      .join(', ')}}`;
  }
  return String(value);
}

export function cellText(value: unknown): string {
  const text = valueText(value);
  return text.length > CELL_CHARS_MAX ? `${text.slice(0, CELL_CHARS_MAX)}…` : text;
}
