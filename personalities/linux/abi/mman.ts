/** mmap flag values; PROT_* are 1/2/4 on every Linux arch. */
export interface MmanFlags {
  MAP_SHARED: number;
  MAP_PRIVATE: number;
  MAP_SHARED_VALIDATE: number;
  MAP_FIXED: number;
  MAP_ANONYMOUS: number;
  MAP_GROWSDOWN: number;
  MAP_NORESERVE: number;
  MAP_POPULATE: number;
  MAP_STACK: number;
  MAP_FIXED_NOREPLACE: number;
}

/** asm-generic/mman-common.h values (riscv64, aarch64, x86, ppc mostly). */
export const genericMman: MmanFlags = {
  MAP_SHARED: 0x01,
  MAP_PRIVATE: 0x02,
  MAP_SHARED_VALIDATE: 0x03,
  MAP_FIXED: 0x10,
  MAP_ANONYMOUS: 0x20,
  MAP_GROWSDOWN: 0x0100,
  MAP_NORESERVE: 0x4000,
  MAP_POPULATE: 0x8000,
  MAP_STACK: 0x20000,
  MAP_FIXED_NOREPLACE: 0x100000,
};

export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;
export const MREMAP_DONTUNMAP = 4;
