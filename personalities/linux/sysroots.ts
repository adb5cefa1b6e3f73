/**
 * Where Debian puts a foreign architecture's C library: the GNU triplet of
 * a Linux binary, its cross sysroot (/usr/<triplet>, from libc6-<arch>-cross)
 * and its multiarch package (libc6:<arch>, installed under the host's own /).
 * Data only; the jail's `"sysroot": "auto"` uses it.
 */
import type { Claim } from '../../src/plugin/contracts.js';

export interface LinuxSysroot {
  triplet: string;
  /** Debian's cross package (installs /usr/<triplet>). */
  crossPackage: string;
  /** Debian's multiarch architecture name (`dpkg --add-architecture <arch>`). */
  debianArch: string;
}

const T = (triplet: string, cross: string, debianArch: string): LinuxSysroot => ({ triplet, crossPackage: `libc6-${cross}-cross`, debianArch });

/** The sysroot facts of a claim's architecture, or null when Debian has none. */
export function linuxSysroot(claim: Pick<Claim, 'isa' | 'endian' | 'wordSize' | 'abi'>): LinuxSysroot | null {
  const le = claim.endian === 'little';
  switch (claim.isa) {
    case 'riscv64': return T('riscv64-linux-gnu', 'riscv64', 'riscv64');
    case 'mips': return le ? T('mipsel-linux-gnu', 'mipsel', 'mipsel') : T('mips-linux-gnu', 'mips', 'mips');
    case 'mips64': return le ? T('mips64el-linux-gnuabi64', 'mips64el', 'mips64el') : T('mips64-linux-gnuabi64', 'mips64', 'mips64');
    case 'aarch64': return T('aarch64-linux-gnu', 'arm64', 'arm64');
    case 'arm': return T('arm-linux-gnueabihf', 'armhf', 'armhf');
    case 'i386': return T('i686-linux-gnu', 'i386', 'i386');
    case 'x86_64': return T('x86_64-linux-gnu', 'amd64', 'amd64');
    case 'ppc': return T('powerpc-linux-gnu', 'powerpc', 'powerpc');
    case 'ppc64': return le ? T('powerpc64le-linux-gnu', 'ppc64el', 'ppc64el') : T('powerpc64-linux-gnu', 'ppc64', 'ppc64');
    case 's390x': return T('s390x-linux-gnu', 's390x', 's390x');
    default: return null;
  }
}

/** The apt line that installs what a dynamically linked program of this architecture needs. */
export function sysrootInstallHint(claim: Pick<Claim, 'isa' | 'endian' | 'wordSize' | 'abi'>): string | null {
  const s = linuxSysroot(claim);
  if (!s) return null;
  return `install Debian's ${s.crossPackage} (its sysroot is /usr/${s.triplet}), or libc6:${s.debianArch} after "dpkg --add-architecture ${s.debianArch}", or name a sysroot with --sysroot DIR`;
}
