/**
 * Spatial points: the four coordinate reference systems Neo4j supports, construction from a
 * map, distance (Euclidean for cartesian, haversine on WGS-84) and bounding-box tests.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import { Point, type CypherMap, type Value } from '../../graph/values.js';

export interface Crs {
  readonly name: string;
  readonly srid: number;
  readonly geographic: boolean;
  readonly dimensions: 2 | 3;
}

export const CRS_LIST: readonly Crs[] = [
  { name: 'cartesian', srid: 7203, geographic: false, dimensions: 2 },
  { name: 'cartesian-3d', srid: 9157, geographic: false, dimensions: 3 },
  { name: 'wgs-84', srid: 4326, geographic: true, dimensions: 2 },
  { name: 'wgs-84-3d', srid: 4979, geographic: true, dimensions: 3 },
];

/** The mean Earth radius Neo4j's distance() uses, in metres. */
const EARTH_RADIUS_METERS = 6_378_140.0;

export function crsOf(p: Point): Crs {
  const crs = CRS_LIST.find((c) => c.srid === p.srid);
  if (crs === undefined) throw new QuiverError('ArgumentError', `Unknown SRID: ${p.srid}`);
  return crs;
}

function coordinate(map: CypherMap, key: string): number | null | undefined {
  const value = map.get(key);
  if (value === undefined || value === null) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  throw new QuiverError('TypeError', `Cannot assign ${key} to a point: expected a number`);
}

function chooseCrs(map: CypherMap, geographic: boolean, dimensions: 2 | 3): Crs {
  const named = map.get('crs');
  const srid = map.get('srid');
  let crs: Crs | undefined;
  if (typeof named === 'string') crs = CRS_LIST.find((c) => c.name === named.toLowerCase());
  else if (typeof srid === 'bigint') crs = CRS_LIST.find((c) => c.srid === Number(srid));
  else crs = CRS_LIST.find((c) => c.geographic === geographic && c.dimensions === dimensions);
  if (crs === undefined) {
    const text = typeof named === 'string' ? named : String(srid);
    throw new QuiverError('ArgumentError', `Unknown coordinate reference system: ${text}`);
  }
  if (crs.dimensions !== dimensions) {
    throw new QuiverError('ArgumentError',
      `Cannot create point with ${crs.dimensions}D coordinate reference system and ` +
      `${dimensions} coordinates. Please consider using equivalent ${dimensions}D ` +
      'coordinate reference system');
  }
  return crs;
}

/** point({...}); null when a coordinate is null, as Neo4j does. */
export function pointFromMap(map: CypherMap): Point | null {
  const geographic = map.has('longitude') || map.has('latitude');
  const x = coordinate(map, geographic ? 'longitude' : 'x');
  const y = coordinate(map, geographic ? 'latitude' : 'y');
  const z = coordinate(map, geographic ? 'height' : 'z') ??
    (geographic ? coordinate(map, 'z') : undefined);
  if (x === null || y === null || z === null) return null;
  if (x === undefined || y === undefined) {
    throw new QuiverError('ArgumentError',
      'A point must contain either \'x\' and \'y\', or \'longitude\' and \'latitude\'');
  }
  const crs = chooseCrs(map, geographic || isGeographicCrsName(map), z === undefined ? 2 : 3);
  if (crs.geographic && (y < -90 || y > 90)) {
    throw new QuiverError('ArgumentError',
      `Cannot create WGS84 point with invalid coordinate: [${x}, ${y}]. ` +
      'Valid range for Y coordinate is [-90, 90].');
  }
  return new Point(crs.srid, x, y, z ?? null);
}

function isGeographicCrsName(map: CypherMap): boolean {
  const named = map.get('crs');
  return typeof named === 'string' && named.toLowerCase().startsWith('wgs');
}

function radians(degrees: number): number {
  return degrees * Math.PI / 180;
}

/** point.distance: null across reference systems. */
export function pointDistance(a: Point, b: Point): number | null {
  if (a.srid !== b.srid) return null;
  const crs = crsOf(a);
  if (!crs.geographic) {
    const dz = (a.z ?? 0) - (b.z ?? 0);
    return Math.sqrt((a.x - b.x) ** 2 + (a.y - b.y) ** 2 + dz ** 2);
  }
  const lat1 = radians(a.y);
  const lat2 = radians(b.y);
  const dLat = lat2 - lat1;
  const dLon = radians(b.x - a.x);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) ** 2;
  const surface = 2 * EARTH_RADIUS_METERS * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
  if (crs.dimensions === 2) return surface;
  return Math.sqrt(surface ** 2 + ((a.z ?? 0) - (b.z ?? 0)) ** 2);
}

/** point.withinBBox; on WGS-84 a box whose left edge is east of its right crosses 180°. */
export function pointWithinBBox(p: Point, lowerLeft: Point, upperRight: Point): boolean | null {
  if (p.srid !== lowerLeft.srid || p.srid !== upperRight.srid) return null;
  const crs = crsOf(p);
  const inY = p.y >= lowerLeft.y && p.y <= upperRight.y;
  const inZ = crs.dimensions === 2 ||
    ((p.z ?? 0) >= (lowerLeft.z ?? 0) && (p.z ?? 0) <= (upperRight.z ?? 0));
  const inX = crs.geographic && lowerLeft.x > upperRight.x
    ? p.x >= lowerLeft.x || p.x <= upperRight.x
    : p.x >= lowerLeft.x && p.x <= upperRight.x;
  return inX && inY && inZ;
}

/** p.x, p.latitude, p.crs … ; a geographic name on a cartesian point is an error. */
export function pointComponent(p: Point, key: string): Value {
  const crs = crsOf(p);
  switch (key) {
    case 'x': return p.x;
    case 'y': return p.y;
    case 'z': return p.z;
    case 'crs': return crs.name;
    case 'srid': return BigInt(p.srid);
    default: break;
  }
  if (crs.geographic && (key === 'longitude' || key === 'latitude' || key === 'height')) {
    return key === 'longitude' ? p.x : key === 'latitude' ? p.y : p.z;
  }
  throw new QuiverError('ArgumentError', `Field: ${key} is not available on ${crs.name} point`);
}
