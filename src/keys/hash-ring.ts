import { fmix32, hash32 } from '../lib/hash32';

/** Points each member has on the ring: more points, a more even share per member. */
export const POINTS_PER_MEMBER = 40;

/** Buckets of the index into the ring, by the top 16 bits of a position. */
const BUCKETS = 65_536;
/** Golden-ratio step that spreads a member's points from its base hash. */
const STEP = 0x9e3779b9;

/**
 * A consistent-hash ring: each member (by its id) owns {@link POINTS_PER_MEMBER}
 * points on a 32-bit circle, and a position belongs to the member of the first
 * point at or after it. A member's points depend on its id alone, so adding or
 * removing one member changes the owner of only the positions that member takes
 * or gives up: about 1/n of them. Finding a position's point is a binary search,
 * O(log n); building the ring is O(n log n) and happens only when the members change.
 */
export class HashRing<T extends { readonly id: string }> {
  private points = new Uint32Array(0);
  private owners = new Uint32Array(0);
  /** `starts[b]`: the index of the first point whose top 16 bits are at least `b`. */
  private starts = new Uint32Array(BUCKETS + 1);
  private members: T[] = [];

  /** Replaces the members; a member's points are the same whatever the others. */
  build(members: Iterable<T>): void {
    const list = [...members];
    const size = list.length * POINTS_PER_MEMBER;
    const points = new Uint32Array(size);
    const owners = new Uint32Array(size);
    let at = 0;
    for (let m = 0; m < list.length; m++) {
      const base = hash32(list[m].id);
      for (let v = 0; v < POINTS_PER_MEMBER; v++) {
        points[at] = fmix32(base ^ Math.imul(v + 1, STEP));
        owners[at++] = m;
      }
    }
    // Radix sort by point, 16 bits a pass: linear, and ties keep the members' order.
    const spare = [new Uint32Array(size), new Uint32Array(size)] as const;
    radixPass(points, owners, spare[0], spare[1], 0);
    radixPass(spare[0], spare[1], points, owners, 16);
    const starts = this.starts;
    let next = 0;
    for (let b = 0; b <= BUCKETS; b++) {
      while (next < size && points[next] >>> 16 < b) next++;
      starts[b] = next;
    }
    this.points = points;
    this.owners = owners;
    this.members = list;
  }

  /** Points on the ring (members × {@link POINTS_PER_MEMBER}). */
  get length(): number {
    return this.points.length;
  }

  /**
   * The index of the first point at or after `position` (0 to 2^32 - 1), wrapping round:
   * a binary search among the few points that share the position's top 16 bits.
   */
  find(position: number): number {
    const points = this.points;
    const bucket = position >>> 16;
    let lo = this.starts[bucket];
    let hi = this.starts[bucket + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid] < position) lo = mid + 1;
      else hi = mid;
    }
    return lo === points.length ? 0 : lo;
  }

  /** The member owning the point at `index` (taken modulo the ring's length). */
  ownerAt(index: number): T {
    return this.members[this.owners[index % this.points.length]];
  }
}

const counts = new Uint32Array(65_536);

/** One stable counting-sort pass of (point, owner) pairs on the 16 bits of the points at `shift`. */
function radixPass(
  fromPoints: Uint32Array,
  fromOwners: Uint32Array,
  toPoints: Uint32Array,
  toOwners: Uint32Array,
  shift: number,
): void {
  counts.fill(0);
  const n = fromPoints.length;
  for (let i = 0; i < n; i++) counts[(fromPoints[i] >>> shift) & 0xffff]++;
  let sum = 0;
  for (let d = 0; d < counts.length; d++) {
    const c = counts[d];
    counts[d] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) {
    const point = fromPoints[i];
    const j = counts[(point >>> shift) & 0xffff]++;
    toPoints[j] = point;
    toOwners[j] = fromOwners[i];
  }
}
