/**
 * The Cypher value model shared by every layer.
 *
 * INTEGER is a JS bigint (Cypher integers are 64-bit); FLOAT is a JS number. Keeping them as two
 * JS types makes `1` and `1.0` distinct the way Cypher and Bolt need. A Cypher MAP is a JS Map
 * (insertion-ordered, no prototype keys). Graph entities appear in two forms: references (NodeRef,
 * RelRef, PathRef: an id only, what the executor passes around cheaply) and materialized entities
 * (Node, Relationship, Path: labels/type and properties read from one consistent view), which is
 * what results carry out of a query.
 */

export type CypherMap = Map<string, Value>;

export type Value =
  | null
  | boolean
  | bigint
  | number
  | string
  | Uint8Array
  | Value[]
  | CypherMap
  | NodeRef
  | RelRef
  | PathRef
  | Node
  | Relationship
  | Path
  | CypherDate
  | LocalTime
  | Time
  | LocalDateTime
  | DateTime
  | Duration
  | Point;

/** A property value: what may be stored on a node or relationship. */
export type PropertyValue =
  | boolean
  | bigint
  | number
  | string
  | Uint8Array
  | CypherDate
  | LocalTime
  | Time
  | LocalDateTime
  | DateTime
  | Duration
  | Point
  | PropertyValue[];

export class NodeRef {
  constructor(readonly id: number) {}
}

export class RelRef {
  constructor(readonly id: number) {}
}

/** Alternating nodes and relationships: nodes.length === rels.length + 1. */
export class PathRef {
  constructor(
    readonly nodes: readonly NodeRef[],
    readonly rels: readonly RelRef[],
  ) {}
}

export class Node {
  constructor(
    readonly id: number,
    readonly labels: readonly string[],
    readonly properties: CypherMap,
    readonly elementId: string,
  ) {}
}

export class Relationship {
  constructor(
    readonly id: number,
    readonly type: string,
    readonly startId: number,
    readonly endId: number,
    readonly properties: CypherMap,
    readonly elementId: string,
    readonly startElementId: string,
    readonly endElementId: string,
  ) {}
}

export class Path {
  constructor(
    readonly nodes: readonly Node[],
    readonly rels: readonly Relationship[],
  ) {}
}

/** Calendar date, proleptic Gregorian. */
export class CypherDate {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {}
}

/** Time of day without zone; nanosecond of day. */
export class LocalTime {
  constructor(readonly nanosOfDay: bigint) {}
}

/** Time of day with a fixed UTC offset. */
export class Time {
  constructor(
    readonly nanosOfDay: bigint,
    readonly offsetSeconds: number,
  ) {}
}

/** Date and time without zone; seconds since 1970-01-01T00:00 local, plus nanos. */
export class LocalDateTime {
  constructor(
    readonly epochSeconds: bigint,
    readonly nanos: number,
  ) {}
}

/**
 * Instant with a zone: epochSeconds is UTC. offsetSeconds is the offset in force at that instant;
 * zoneId is an IANA name when the value was built with one, else null (offset-only).
 */
export class DateTime {
  constructor(
    readonly epochSeconds: bigint,
    readonly nanos: number,
    readonly offsetSeconds: number,
    readonly zoneId: string | null,
  ) {}
}

/** Months, days, seconds and nanoseconds are kept apart, as Cypher and Bolt do. */
export class Duration {
  constructor(
    readonly months: bigint,
    readonly days: bigint,
    readonly seconds: bigint,
    readonly nanoseconds: number,
  ) {}
}

/** srid 7203 cartesian 2D, 9157 cartesian 3D, 4326 WGS-84 2D, 4979 WGS-84 3D. */
export class Point {
  constructor(
    readonly srid: number,
    readonly x: number,
    readonly y: number,
    readonly z: number | null,
  ) {}
}

export function isCypherMap(value: Value): value is CypherMap {
  return value instanceof Map;
}
