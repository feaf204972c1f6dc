import { EARTH_RADIUS_M, docNearDistance, parseNear, pointInPolygon, sphereRadians, toPoint } from './geo';
import { compileFilter } from './view';

describe('geo helpers', () => {
  it('reads legacy pairs, {x, y} objects and GeoJSON points', () => {
    expect(toPoint([1, 2])).toEqual([1, 2]);
    expect(toPoint({ lng: 3, lat: 4 })).toEqual([3, 4]);
    expect(toPoint({ type: 'Point', coordinates: [5, 6] })).toEqual([5, 6]);
    expect(toPoint('x')).toBeUndefined();
  });

  it('tests points in polygons, boundary included', () => {
    const sq: Array<[number, number]> = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];
    expect(pointInPolygon([1, 1], sq)).toBe(true);
    expect(pointInPolygon([2, 1], sq)).toBe(true);
    expect(pointInPolygon([3, 1], sq)).toBe(false);
  });

  it('measures great-circle distance (one degree of longitude on the equator)', () => {
    expect(sphereRadians([0, 0], [1, 0]) * EARTH_RADIUS_M).toBeCloseTo(111_318, -2);
  });

  it('uses metres for GeoJSON $near and flat units for legacy pairs', () => {
    const geo = parseNear('$near', { $geometry: { type: 'Point', coordinates: [0, 0] }, $maxDistance: 200_000 });
    expect(geo).toMatchObject({ metres: true, spherical: true, max: 200_000 });
    expect(docNearDistance({ loc: { type: 'Point', coordinates: [1, 0] } }, 'loc', geo)).toBeCloseTo(111_318, -2);
    const flat = parseNear('$near', [0, 0], { $maxDistance: 2 });
    expect(docNearDistance({ loc: [3, 4] }, 'loc', flat)).toBe(5);
  });
});

describe('geo query operators through compileFilter', () => {
  it('$geoWithin $box/$center/$geometry, $near with limits, $geoIntersects', () => {
    expect(compileFilter({ loc: { $geoWithin: { $box: [[0, 0], [5, 5]] } } })({ loc: [1, 1] })).toBe(true);
    expect(compileFilter({ loc: { $within: { $center: [[0, 0], 1] } } })({ loc: [3, 3] })).toBe(false);
    const square = { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]] };
    expect(compileFilter({ loc: { $geoWithin: { $geometry: square } } })({ loc: { type: 'Point', coordinates: [1, 1] } })).toBe(true);
    expect(compileFilter({ loc: { $near: [0, 0], $maxDistance: 2 } })({ loc: [1, 1] })).toBe(true);
    expect(compileFilter({ loc: { $near: [0, 0], $maxDistance: 1 } })({ loc: [1, 1] })).toBe(false);
    const line = { type: 'LineString', coordinates: [[-1, 2], [5, 2]] };
    expect(compileFilter({ area: { $geoIntersects: { $geometry: line } } })({ area: square })).toBe(true);
  });
});
