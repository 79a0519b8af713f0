/**
 * Renders driver values as cypher-shell prints them: NULL, TRUE, Java-style floats (`1.0`,
 * `1.0E-4`), double-quoted strings, `[a, b]`, `{k: v}`, `(:Label {k: v})`, `[:TYPE {k: v}]`,
 * paths with arrows, `point({srid:…})` and ISO temporals in Java's shapes.
 */
import neo4j, {
  type Duration, type Node, type Path, type Point, type Relationship,
} from 'neo4j-driver';

/** Nested lists and maps deeper than this print as `…` rather than recursing without end. */
const RENDER_DEPTH_MAX = 64;

/** Java's Double.toString: plain between 1e-3 and 1e7, else d.dddE±n; always a fraction. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  const fraction = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${fraction}E${exponent.replace('+', '')}`;
}

export function quoteString(value: string): string {
  return `"${value.replace(/"/g, '\\"')}"`;
}

/** Labels, types and keys that are not plain identifiers are backquoted, backticks doubled. */
export function escapeName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

function num(value: unknown): number {
  return neo4j.isInt(value) ? value.toNumber() : Number(value);
}

const two = (value: unknown): string => String(num(value)).padStart(2, '0');

function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, '0');
  const sign = year < 0 ? '-' : '+';
  return `${sign}${String(Math.abs(year)).padStart(4, '0')}`;
}

function formatDate(value: { year: unknown; month: unknown; day: unknown }): string {
  return `${formatYear(num(value.year))}-${two(value.month)}-${two(value.day)}`;
}

/** Java's LocalTime: seconds only when not zero, the fraction in groups of three digits. */
export function formatLocalTime(value: {
  hour: unknown; minute: unknown; second: unknown; nanosecond: unknown;
}): string {
  const seconds = num(value.second);
  const nanos = num(value.nanosecond);
  let text = `${two(value.hour)}:${two(value.minute)}`;
  if (seconds === 0 && nanos === 0) return text;
  text += `:${two(seconds)}`;
  if (nanos === 0) return text;
  const digits = String(nanos).padStart(9, '0');
  const groups = digits.endsWith('000000') ? 3 : digits.endsWith('000') ? 6 : 9;
  return `${text}.${digits.slice(0, groups)}`;
}

export function formatOffset(offsetSeconds: number): string {
  if (offsetSeconds === 0) return 'Z';
  const sign = offsetSeconds < 0 ? '-' : '+';
  const total = Math.abs(offsetSeconds);
  const seconds = total % 60;
  const text = `${sign}${two(Math.floor(total / 3600))}:${two(Math.floor(total / 60) % 60)}`;
  return seconds === 0 ? text : `${text}:${two(seconds)}`;
}

/** ISO-8601 with zero units left out (`P1Y2M3DT4H5M6.5S`), `PT0S` for zero. */
export function formatDuration(value: Duration): string {
  const months = num(value.months);
  const days = num(value.days);
  const nanosTotal = BigInt(num(value.seconds)) * 1_000_000_000n + BigInt(num(value.nanoseconds));
  const negative = nanosTotal < 0n;
  const absolute = negative ? -nanosTotal : nanosTotal;
  const seconds = absolute / 1_000_000_000n;
  const fraction = absolute % 1_000_000_000n;
  let date = '';
  if (Math.trunc(months / 12) !== 0) date += `${Math.trunc(months / 12)}Y`;
  if (months % 12 !== 0) date += `${months % 12}M`;
  if (days !== 0) date += `${days}D`;
  const sign = negative ? '-' : '';
  let time = '';
  if (seconds / 3600n !== 0n) time += `${sign}${seconds / 3600n}H`;
  if ((seconds / 60n) % 60n !== 0n) time += `${sign}${(seconds / 60n) % 60n}M`;
  if (seconds % 60n !== 0n || fraction !== 0n) {
    const frac = fraction === 0n ? '' : `.${String(fraction).padStart(9, '0').replace(/0+$/, '')}`;
    time += `${sign}${seconds % 60n}${frac}S`;
  }
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time === '' ? '' : `T${time}`}`;
}

function formatPoint(point: Point): string {
  const z = point.z === undefined || point.z === null ? '' : `, z:${formatFloat(point.z)}`;
  const xy = `x:${formatFloat(point.x)}, y:${formatFloat(point.y)}`;
  return `point({srid:${num(point.srid)}, ${xy}${z}})`;
}

function formatProperties(properties: Record<string, unknown>, depth: number): string {
  const entries = Object.entries(properties);
  return entries.length === 0 ? '' : ` ${formatMap(properties, depth)}`;
}

function formatNode(node: Node): string {
  const labels = node.labels.map((label) => `:${escapeName(label)}`).join('');
  const props = formatProperties(node.properties as Record<string, unknown>, 1);
  return `(${labels}${labels === '' ? props.trimStart() : props})`;
}

function formatRelationship(rel: Relationship): string {
  const props = formatProperties(rel.properties as Record<string, unknown>, 1);
  return `[:${escapeName(rel.type)}${props}]`;
}

function formatPath(path: Path): string {
  let text = formatNode(path.start);
  for (const segment of path.segments) {
    const rel = formatRelationship(segment.relationship);
    const forward = segment.relationship.startNodeElementId === segment.start.elementId;
    text += forward ? `-${rel}->` : `<-${rel}-`;
    text += formatNode(segment.end);
  }
  return text;
}

function formatMap(map: Record<string, unknown>, depth: number): string {
  const entries = Object.entries(map)
    .map(([key, value]) => `${escapeName(key)}: ${formatValueAt(value, depth + 1)}`);
  return `{${entries.join(', ')}}`;
}

function formatBytes(bytes: Int8Array | Uint8Array): string {
  return `#${Array.from(bytes, (byte) => (byte & 0xff).toString(16).padStart(2, '0')).join('')}`;
}

function formatTemporal(value: unknown): string | null {
  if (neo4j.isDate(value)) return formatDate(value);
  if (neo4j.isLocalTime(value)) return formatLocalTime(value);
  if (neo4j.isTime(value)) {
    return `${formatLocalTime(value)}${formatOffset(num(value.timeZoneOffsetSeconds))}`;
  }
  if (neo4j.isLocalDateTime(value)) return `${formatDate(value)}T${formatLocalTime(value)}`;
  if (neo4j.isDateTime(value)) {
    const offset = value.timeZoneOffsetSeconds;
    const zone = value.timeZoneId;
    const offsetText = offset === undefined || offset === null ? '' : formatOffset(num(offset));
    const zoneText = zone === undefined || zone === null ? '' : `[${zone}]`;
    return `${formatDate(value)}T${formatLocalTime(value)}${offsetText}${zoneText}`;
  }
  if (neo4j.isDuration(value)) return formatDuration(value);
  return null;
}

function formatValueAt(value: unknown, depth: number): string {
  if (depth > RENDER_DEPTH_MAX) return '…';
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return formatFloat(value);
  if (typeof value === 'bigint' || neo4j.isInt(value)) return String(value);
  if (typeof value === 'string') return quoteString(value);
  if (value instanceof Int8Array || value instanceof Uint8Array) return formatBytes(value);
  if (Array.isArray(value)) {
    return `[${value.map((item) => formatValueAt(item, depth + 1)).join(', ')}]`;
  }
  if (neo4j.isNode(value)) return formatNode(value);
  if (neo4j.isRelationship(value)) return formatRelationship(value);
  if (neo4j.isPath(value)) return formatPath(value);
  if (neo4j.isPoint(value)) return formatPoint(value);
  const temporal = formatTemporal(value);
  if (temporal !== null) return temporal;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return formatMap(value as Record<string, unknown>, depth);
  }
  return String(value);
}

export function formatValue(value: unknown): string {
  return formatValueAt(value, 0);
}
