import { assertDescriptor, Descriptor } from './matching';
import { DESCRIPTOR_LENGTH } from './types';

export interface IndexedDescriptor {
  /** Id of the stored reference (one person may have several). */
  id: string;
  /** Whose face it is — an account or person id — so 1:N can say "this face is also account X". */
  subjectId: string;
  descriptor: Descriptor;
}

export interface SearchHit {
  id: string;
  subjectId: string;
  distance: number;
}

/** Where the index is rebuilt from at start — the identity context implements it over MongoDB. */
export interface FaceDescriptorSource {
  all(): AsyncIterable<IndexedDescriptor> | Iterable<IndexedDescriptor>;
}

/**
 * In-memory 1:N gallery: descriptors packed in one Float32Array and scanned brute force, which
 * stays well under 20 ms for 100,000 faces and needs no index maintenance. Removal swaps the last
 * row into the hole so the array stays dense.
 */
export class FaceIndex {
  private data: Float32Array;
  private ids: string[] = [];
  private subjects: string[] = [];
  private slotById = new Map<string, number>();

  constructor(initialCapacity = 1024) {
    this.data = new Float32Array(Math.max(1, initialCapacity) * DESCRIPTOR_LENGTH);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.slotById.has(id);
  }

  /** Adds or replaces the descriptor stored under `id`. */
  add(entry: IndexedDescriptor): void {
    assertDescriptor(entry.descriptor, `descriptor of ${entry.id}`);
    let slot = this.slotById.get(entry.id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.ensureCapacity(slot + 1);
      this.ids.push(entry.id);
      this.subjects.push(entry.subjectId);
      this.slotById.set(entry.id, slot);
    } else {
      this.subjects[slot] = entry.subjectId;
    }
    this.data.set(entry.descriptor, slot * DESCRIPTOR_LENGTH);
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    if (slot !== last) {
      this.data.copyWithin(slot * DESCRIPTOR_LENGTH, last * DESCRIPTOR_LENGTH, (last + 1) * DESCRIPTOR_LENGTH);
      this.ids[slot] = this.ids[last];
      this.subjects[slot] = this.subjects[last];
      this.slotById.set(this.ids[slot], slot);
    }
    this.ids.pop();
    this.subjects.pop();
    this.slotById.delete(id);
    return true;
  }

  /** Removes every reference of one subject (e.g. an account deleted or re-enrolled). */
  removeSubject(subjectId: string): number {
    const doomed = this.ids.filter((_, i) => this.subjects[i] === subjectId);
    for (const id of doomed) this.remove(id);
    return doomed.length;
  }

  clear(): void {
    this.ids = [];
    this.subjects = [];
    this.slotById.clear();
  }

  /** Replaces the whole content from the source of truth; the old content stays searchable until the new one is complete. */
  async rebuild(source: FaceDescriptorSource): Promise<number> {
    const next = new FaceIndex(Math.max(1024, this.size));
    for await (const entry of source.all()) next.add(entry);
    this.data = next.data;
    this.ids = next.ids;
    this.subjects = next.subjects;
    this.slotById = next.slotById;
    return this.size;
  }

  /** The k nearest stored descriptors, closest first; `maxDistance` drops hits that could not be the same person. */
  search(query: Descriptor, k = 10, maxDistance = Infinity): SearchHit[] {
    assertDescriptor(query, 'query');
    const q = query instanceof Float32Array ? query : Float32Array.from(query);
    const n = this.ids.length;
    const limit = Math.max(0, Math.min(k, n));
    if (limit === 0) return [];
    // Keep the best `limit` squared distances in a small sorted buffer: k is tiny next to n.
    const bestD = new Float64Array(limit).fill(Infinity);
    const bestI = new Int32Array(limit).fill(-1);
    const maxSq = maxDistance * maxDistance;
    const data = this.data;
    for (let row = 0, off = 0; row < n; row++, off += DESCRIPTOR_LENGTH) {
      let s = 0;
      for (let j = 0; j < DESCRIPTOR_LENGTH; j++) {
        const d = data[off + j] - q[j];
        s += d * d;
      }
      if (s >= bestD[limit - 1] || s > maxSq) continue;
      let p = limit - 1;
      while (p > 0 && bestD[p - 1] > s) {
        bestD[p] = bestD[p - 1];
        bestI[p] = bestI[p - 1];
        p--;
      }
      bestD[p] = s;
      bestI[p] = row;
    }
    const hits: SearchHit[] = [];
    for (let i = 0; i < limit && bestI[i] >= 0; i++) {
      hits.push({ id: this.ids[bestI[i]], subjectId: this.subjects[bestI[i]], distance: Math.sqrt(bestD[i]) });
    }
    return hits;
  }

  private ensureCapacity(rows: number): void {
    if (rows * DESCRIPTOR_LENGTH <= this.data.length) return;
    const grown = new Float32Array(Math.max(rows, (this.data.length / DESCRIPTOR_LENGTH) * 2) * DESCRIPTOR_LENGTH);
    grown.set(this.data.subarray(0, this.ids.length * DESCRIPTOR_LENGTH));
    this.data = grown;
  }
}

/** 1:N helper: nearest `k` references in `gallery` to `descriptor`. */
export function search(descriptor: Descriptor, gallery: FaceIndex, k = 10, maxDistance = Infinity): SearchHit[] {
  return gallery.search(descriptor, k, maxDistance);
}
