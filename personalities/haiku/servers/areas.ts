/**
 * The team's areas (Haiku's named, page-aligned memory ranges with an id):
 * bookkeeping shared by all threads. The pages themselves are mapped through
 * the process's RegionMap by the memory syscalls.
 */
import { SharedTable, type TableHandle } from './shared-table.js';

const F = { ID: 0, START: 1, SIZE: 2, PROT: 3, LOCK: 4 } as const;
export const MAX_AREAS = 1024;

export interface AreaRecord { id: number; start: number; size: number; protection: number; lock: number; name: string }

export class AreaServer {
  readonly t: SharedTable;
  constructor(handle: TableHandle) { this.t = new SharedTable(handle, MAX_AREAS, 5, 32); }
  static create(): TableHandle { return SharedTable.create(MAX_AREAS, 5, 32, 1000); }

  add(start: number, size: number, protection: number, lock: number, name: string): number {
    return this.t.locked(() => {
      const i = this.t.free();
      if (i < 0) return -1;
      const id = this.t.nextId();
      this.t.set(i, F.START, start);
      this.t.set(i, F.SIZE, size);
      this.t.set(i, F.PROT, protection);
      this.t.set(i, F.LOCK, lock);
      this.t.setName(i, name);
      this.t.set(i, F.ID, id);
      return id;
    });
  }

  private rec(i: number): AreaRecord {
    return {
      id: this.t.get(i, F.ID), start: this.t.get(i, F.START) >>> 0, size: this.t.get(i, F.SIZE) >>> 0,
      protection: this.t.get(i, F.PROT), lock: this.t.get(i, F.LOCK), name: this.t.name(i),
    };
  }

  get(id: number): AreaRecord | null {
    const i = this.t.find(id);
    return i < 0 ? null : this.rec(i);
  }

  /** The area containing `addr`. */
  at(addr: number): AreaRecord | null {
    for (let i = 0; i < MAX_AREAS; i++) {
      if (!this.t.get(i, F.ID)) continue;
      const r = this.rec(i);
      if (addr >= r.start && addr < r.start + r.size) return r;
    }
    return null;
  }

  all(): AreaRecord[] {
    const out: AreaRecord[] = [];
    for (let i = 0; i < MAX_AREAS; i++) if (this.t.get(i, F.ID)) out.push(this.rec(i));
    return out;
  }

  update(id: number, patch: Partial<Pick<AreaRecord, 'start' | 'size' | 'protection'>>): void {
    this.t.locked(() => {
      const i = this.t.find(id);
      if (i < 0) return;
      if (patch.start !== undefined) this.t.set(i, F.START, patch.start);
      if (patch.size !== undefined) this.t.set(i, F.SIZE, patch.size);
      if (patch.protection !== undefined) this.t.set(i, F.PROT, patch.protection);
    });
  }

  remove(id: number): boolean {
    return this.t.locked(() => {
      const i = this.t.find(id);
      if (i < 0) return false;
      this.t.set(i, F.ID, 0);
      return true;
    });
  }
}
