/** mmap of a file: the Linux side (page rounding, SIGBUS-free tail) over servers/files/mapping. */
import { mapFile } from '../../../servers/files/mapping.js';
import type { LinuxThread } from './types.js';

export function mapFileRange(
  t: LinuxThread, fd: number, start: number, size: number, _len: number, offset: number, prot: number, shared: boolean,
): void {
  const regions = t.proc.regions;
  // map writable while filling, then apply the requested protection
  const name = (() => { try { return t.files.guestPathOf(fd); } catch { return ''; } })();
  const scratch = new Uint8Array(size);
  const m = mapFile(t.files, fd, scratch, BigInt(offset), { shared, writable: (prot & 2) !== 0 });
  regions.map(start, size, 3, name, m.sharedHostFd !== undefined ? { hostFd: m.sharedHostFd, fileOffset: offset } : undefined);
  t.mem.poke(start, scratch.subarray(0, m.filled));
  regions.protect(start, size, prot);
}
