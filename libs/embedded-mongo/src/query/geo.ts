import { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors';

/**
 * Geospatial query operators mingo lacks ($geoWithin/$within, $geoIntersects, $near, $nearSphere),
 * evaluated by brute force on each candidate (there is no geo index; documents are filtered and,
 * for $near, sorted by distance). Flat geometry for legacy pairs, great-circle distance for
 * GeoJSON and the *Sphere forms, as mongod does. Polygon tests treat lng/lat as planar.
 */
export const EARTH_RADIUS_M = 6378100;

type Pt = [number, number];
type Geometry = { type: string; coordinates: unknown };

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && typeof (v as { valueOf(): unknown }).valueOf() === 'number') return (v as { valueOf(): number }).valueOf();
  return undefined;
}

/** A legacy coordinate pair ([x, y] or {x, y}/{lng, lat}) or a GeoJSON Point. */
export function toPoint(v: unknown): Pt | undefined {
  if (Array.isArray(v) && v.length >= 2) {
    const x = num(v[0]);
    const y = num(v[1]);
    return x !== undefined && y !== undefined ? [x, y] : undefined;
  }
  if (v && typeof v === 'object') {
    const o = v as Document;
    if (o.type === 'Point') return toPoint(o.coordinates);
    const vals = Object.values(o);
    if (vals.length >= 2 && !('type' in o)) return toPoint(vals);
  }
  return undefined;
}

function toGeometry(v: unknown): Geometry | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Document).type === 'string') return v as Geometry;
  const p = toPoint(v);
  return p ? { type: 'Point', coordinates: p } : undefined;
}

function verticesOf(g: Geometry): Pt[] {
  const out: Pt[] = [];
  const walk = (c: unknown): void => {
    const p = Array.isArray(c) && typeof num(c[0]) === 'number' ? toPoint(c) : undefined;
    if (p) out.push(p);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(g.coordinates);
  return out;
}

function rings(g: Geometry): Pt[][] {
  const poly = (c: unknown): Pt[][] => (Array.isArray(c) ? c.map((ring) => (Array.isArray(ring) ? ring.map((p) => toPoint(p)!).filter(Boolean) : [])) : []);
  if (g.type === 'Polygon') return poly(g.coordinates).slice(0, 1);
  if (g.type === 'MultiPolygon') return (g.coordinates as unknown[]).flatMap((c) => poly(c).slice(0, 1));
  return [];
}

function segments(g: Geometry): Array<[Pt, Pt]> {
  const segs: Array<[Pt, Pt]> = [];
  const line = (pts: Pt[]): void => {
    for (let i = 1; i < pts.length; i++) segs.push([pts[i - 1], pts[i]]);
  };
  const pts = (c: unknown): Pt[] => (Array.isArray(c) ? c.map((p) => toPoint(p)!).filter(Boolean) : []);
  switch (g.type) {
    case 'LineString':
      line(pts(g.coordinates));
      break;
    case 'MultiLineString':
      (g.coordinates as unknown[]).forEach((l) => line(pts(l)));
      break;
    case 'Polygon':
    case 'MultiPolygon':
      rings(g).forEach(line);
      break;
  }
  return segs;
}

export function pointInPolygon(p: Pt, ring: Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  // Points on the boundary count as inside, as in mongod.
  return inside || ring.some((a, k) => k > 0 && onSegment(p, ring[k - 1], a));
}

function onSegment(p: Pt, a: Pt, b: Pt): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  if (Math.abs(cross) > 1e-12) return false;
  return Math.min(a[0], b[0]) - 1e-12 <= p[0] && p[0] <= Math.max(a[0], b[0]) + 1e-12 && Math.min(a[1], b[1]) - 1e-12 <= p[1] && p[1] <= Math.max(a[1], b[1]) + 1e-12;
}

function segmentsIntersect(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o = (p: Pt, q: Pt, r: Pt): number => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  const o1 = o(a, b, c);
  const o2 = o(a, b, d);
  const o3 = o(c, d, a);
  const o4 = o(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return onSegment(c, a, b) || onSegment(d, a, b) || onSegment(a, c, d) || onSegment(b, c, d);
}

export function sphereRadians(a: Pt, b: Pt): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const flat = (a: Pt, b: Pt): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

function intersects(a: Geometry, b: Geometry): boolean {
  const av = verticesOf(a);
  const bv = verticesOf(b);
  if (rings(b).some((r) => av.some((p) => pointInPolygon(p, r)))) return true;
  if (rings(a).some((r) => bv.some((p) => pointInPolygon(p, r)))) return true;
  const as = segments(a);
  const bs = segments(b);
  if (as.some(([p, q]) => bs.some(([r, s]) => segmentsIntersect(p, q, r, s)))) return true;
  if (a.type.endsWith('Point') && b.type.endsWith('Point')) return av.some((p) => bv.some((q) => p[0] === q[0] && p[1] === q[1]));
  if (a.type.endsWith('Point')) return av.some((p) => bs.some(([r, s]) => onSegment(p, r, s)));
  if (b.type.endsWith('Point')) return bv.some((p) => as.some(([r, s]) => onSegment(p, r, s)));
  return false;
}

/** Values at a dotted path, descending through arrays of subdocuments (not through coordinate pairs). */
function geoValues(doc: unknown, path: string): unknown[] {
  let cur: unknown[] = [doc];
  for (const p of path.split('.')) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (Array.isArray(v) && !toPoint(v)) {
        for (const el of v) if (el && typeof el === 'object' && p in (el as Document)) next.push((el as Document)[p]);
      } else if (v && typeof v === 'object' && p in (v as Document)) next.push((v as Document)[p]);
    }
    cur = next;
  }
  return cur.flatMap((v) => (Array.isArray(v) && v.length && !toPoint(v) && v.every((x) => toPoint(x) || toGeometry(x)) ? v : [v]));
}

function withinTest(spec: Document): (g: Geometry) => boolean {
  if (spec.$box) {
    const [[x1, y1], [x2, y2]] = (spec.$box as unknown[]).map((p) => toPoint(p)!);
    const [lx, hx, ly, hy] = [Math.min(x1, x2), Math.max(x1, x2), Math.min(y1, y2), Math.max(y1, y2)];
    return (g) => verticesOf(g).every(([x, y]) => x >= lx && x <= hx && y >= ly && y <= hy);
  }
  if (spec.$polygon) {
    const ring = (spec.$polygon as unknown[]).map((p) => toPoint(p)!);
    return (g) => verticesOf(g).every((p) => pointInPolygon(p, ring));
  }
  if (spec.$center) {
    const [c, r] = spec.$center as [unknown, number];
    const center = toPoint(c)!;
    return (g) => verticesOf(g).every((p) => flat(p, center) <= Number(r));
  }
  if (spec.$centerSphere) {
    const [c, r] = spec.$centerSphere as [unknown, number];
    const center = toPoint(c)!;
    return (g) => verticesOf(g).every((p) => sphereRadians(p, center) <= Number(r));
  }
  if (spec.$geometry) {
    const area = toGeometry(spec.$geometry);
    const rs = area ? rings(area) : [];
    if (!rs.length) throw new CommandError(ErrorCodes.BadValue, '$geoWithin 的 $geometry 必须是 Polygon 或 MultiPolygon ($geometry must be a Polygon or MultiPolygon)');
    return (g) => verticesOf(g).every((p) => rs.some((r) => pointInPolygon(p, r)));
  }
  throw new CommandError(ErrorCodes.BadValue, `unknown geo specifier: ${Object.keys(spec)[0]}`);
}

function fieldOp(test: (g: Geometry) => boolean) {
  return (selector: string) => (obj: unknown): boolean =>
    geoValues(obj, selector).some((v) => {
      const g = toGeometry(v);
      return !!g && test(g);
    });
}

export interface NearSpec {
  point: Pt;
  spherical: boolean;
  /** Distances in metres (GeoJSON) rather than radians/flat units (legacy pairs). */
  metres: boolean;
  min?: number;
  max?: number;
}

export function parseNear(op: '$near' | '$nearSphere', value: unknown, siblings: Document = {}): NearSpec {
  const v = value as Document;
  const geometry = v && typeof v === 'object' && !Array.isArray(v) ? (v.$geometry as Document | undefined) : undefined;
  const point = toPoint(geometry ?? v);
  if (!point) throw new CommandError(ErrorCodes.BadValue, `${op} 需要一个点 (${op} requires a point)`);
  const pick = (k: string): number | undefined => num((geometry ? v[k] : undefined) ?? siblings[k]);
  return { point, spherical: op === '$nearSphere' || !!geometry, metres: !!geometry, min: pick('$minDistance'), max: pick('$maxDistance') };
}

export function nearDistance(spec: NearSpec, p: Pt): number {
  if (!spec.spherical) return flat(p, spec.point);
  const r = sphereRadians(p, spec.point);
  return spec.metres ? r * EARTH_RADIUS_M : r;
}

/** Smallest distance from the near point to any point the field holds (Infinity when none). */
export function docNearDistance(doc: unknown, path: string, spec: NearSpec): number {
  let best = Infinity;
  for (const v of geoValues(doc, path)) {
    const g = toGeometry(v);
    if (!g) continue;
    for (const p of verticesOf(g)) best = Math.min(best, nearDistance(spec, p));
  }
  return best;
}

/** Matches documents within the near spec's distance limits (the sort by distance is done by find). */
const $geoNearSpec = (selector: string, value: unknown) => {
  const spec = value as NearSpec;
  return (obj: unknown): boolean => {
    const d = docNearDistance(obj, selector, spec);
    return d !== Infinity && (spec.min === undefined || d >= spec.min) && (spec.max === undefined || d <= spec.max);
  };
};

const within = (selector: string, value: unknown) => fieldOp(withinTest(value as Document))(selector);

export const geoQueryOps = {
  $geoWithin: within,
  $within: within,
  $geoIntersects: (selector: string, value: unknown) => {
    const target = toGeometry((value as Document).$geometry);
    if (!target) throw new CommandError(ErrorCodes.BadValue, '$geoIntersects 需要 $geometry ($geoIntersects requires $geometry)');
    return fieldOp((g) => intersects(g, target))(selector);
  },
  $geoNearSpec,
};

/**
 * Rewrites `{ loc: { $near | $nearSphere: …, $maxDistance, $minDistance } }` (GeoJSON or legacy
 * form, limits beside or inside) into one `$geoNearSpec` predicate, and reports the near point so
 * results can be ordered by distance.
 */
export function normalizeNear(filter: Document): { filter: Document; near?: { path: string; spec: NearSpec } } {
  let near: { path: string; spec: NearSpec } | undefined;
  const out: Document = {};
  for (const [k, v] of Object.entries(filter)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && ('$near' in v || '$nearSphere' in v)) {
      const op = '$near' in v ? '$near' : '$nearSphere';
      const spec = parseNear(op, (v as Document)[op], v as Document);
      near = { path: k, spec };
      const { $maxDistance: _max, $minDistance: _min, $near: _n, $nearSphere: _ns, ...rest } = v as Document;
      out[k] = { ...rest, $geoNearSpec: spec };
      continue;
    }
    out[k] = v;
  }
  return { filter: out, near };
}
