/** point(), point.distance(), point.withinBBox(). */
import { Point, type Value } from '../../graph/values.js';
import { pointDistance, pointFromMap, pointWithinBBox } from '../values/point.js';
import { arg, defineAll, wrongType } from './define.js';

function pointArg(fn: string, v: Value): Point {
  if (!(v instanceof Point)) throw wrongType(fn, 'a Point', v);
  return v;
}

export const SPATIAL_FUNCTIONS = defineAll('Spatial', [
  {
    name: 'point', signature: 'point(input :: MAP) :: POINT',
    description: 'Returns a 2D or 3D point in a cartesian or WGS-84 coordinate system.',
    call: (a) => {
      const map = arg(a, 0);
      if (!(map instanceof Map)) throw wrongType('point', 'a Map', map);
      return pointFromMap(map);
    },
  },
  {
    name: 'point.distance', signature: 'point.distance(from :: POINT, to :: POINT) :: FLOAT',
    description: 'Returns the distance between two points: metres on WGS-84, else Euclidean.',
    nullInNullOut: false,
    call: (a) => {
      if (arg(a, 0) === null || arg(a, 1) === null) return null;
      return pointDistance(pointArg('point.distance', arg(a, 0)),
        pointArg('point.distance', arg(a, 1)));
    },
  },
  {
    name: 'point.withinBBox',
    signature: 'point.withinBBox(point :: POINT, lowerLeft :: POINT, upperRight :: POINT) :: ' +
      'BOOLEAN',
    description: 'Returns whether a point lies within a bounding box.',
    nullInNullOut: false,
    call: (a) => {
      if (a.some((v) => v === null)) return null;
      const fn = 'point.withinBBox';
      return pointWithinBBox(pointArg(fn, arg(a, 0)), pointArg(fn, arg(a, 1)),
        pointArg(fn, arg(a, 2)));
    },
  },
]);
