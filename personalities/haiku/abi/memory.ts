/** Haiku area and memory constants (OS.h, vm_defs.h) and the riscv64 area_info layout. */
export const ADDRESS = {
  ANY: 0, EXACT: 1, BASE: 2, CLONE: 3, ANY_KERNEL: 4, RANDOMIZED_ANY: 6, RANDOMIZED_BASE: 7,
} as const;
export const B_READ_AREA = 1;
export const B_WRITE_AREA = 2;
export const B_EXECUTE_AREA = 4;
export const B_STACK_AREA = 8;
export const B_CLONEABLE_AREA = 0x100;
export const REGION_NO_PRIVATE_MAP = 0;
export const REGION_PRIVATE_MAP = 1;
export const B_OS_NAME_LENGTH = 32;

/** area_info: area@0 name[32]@4 size@40 lock@48 protection@52 team@56 ram_size@60 copy_count@64 in_count@68 out_count@72 address@80; 88 bytes. */
export const AREA_INFO_SIZE = 88;
export function encodeAreaInfo(r: { id: number; name: string; size: number; lock: number; protection: number; start: number }, team: number): Uint8Array {
  const b = new Uint8Array(AREA_INFO_SIZE);
  const v = new DataView(b.buffer);
  v.setInt32(0, r.id, true);
  b.set(Buffer.from(r.name, 'latin1').subarray(0, B_OS_NAME_LENGTH - 1), 4);
  v.setBigUint64(40, BigInt(r.size), true);
  v.setUint32(48, r.lock, true);
  v.setUint32(52, r.protection, true);
  v.setInt32(56, team, true);
  v.setUint32(60, r.size, true);
  v.setBigUint64(80, BigInt(r.start), true);
  return b;
}
