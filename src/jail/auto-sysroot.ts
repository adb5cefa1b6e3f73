/**
 * `"sysroot": "auto"`: where a dynamically linked program's interpreter and
 * libraries are, decided from the binary's triplet before the guest starts.
 * The cross sysroot /usr/<triplet> (Debian's libc6-<arch>-cross) when it
 * holds the interpreter; else the host's own `/` when the interpreter is
 * there (multiarch libc6:<arch>); else the run stops naming the package.
 */
import { existsSync } from 'node:fs';
import { ExecError } from '../kernel/exec-error.js';
import { linuxSysroot, sysrootInstallHint } from '../../personalities/linux/sysroots.js';
import type { Claim } from '../plugin/contracts.js';

export function autoSysroot(claim: Claim, interp: string | null, program: string, root = '/'): string | null {
  if (!interp) return null; // static programs need nothing
  const base = root === '/' ? '' : root.replace(/\/+$/, '');
  const s = claim.personality === 'linux' || claim.personality === null ? linuxSysroot(claim) : null;
  if (s) {
    const cross = `${base}/usr/${s.triplet}`;
    if (existsSync(cross + interp)) return cross;
  }
  if (existsSync(base + interp)) return null;
  const hint = s ? sysrootInstallHint(claim) : 'name a sysroot with --sysroot DIR';
  throw new ExecError(`${program}: its program interpreter ${interp} was not found${s ? ` in /usr/${s.triplet} nor` : ''} on the host (${hint})`, 127);
}
