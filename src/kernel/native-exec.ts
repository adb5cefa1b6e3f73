/**
 * A jail with `nativeExec: true` lets a guest execve a program built for the
 * host itself (same ISA and OS as the machine compat runs on): instead of
 * being emulated, it runs as a real host process with the guest's stdin,
 * stdout and stderr, in the guest's working folder and environment, and the
 * guest process ends with its status. The host program is NOT contained by
 * the jail — that is why it is off unless a jail asks for it.
 */
import { spawnSync } from 'node:child_process';
import { arch, platform } from 'node:process';
import type { Claim } from '../plugin/contracts.js';
import type { ExitReason } from './exit.js';
import { hostSignals } from '../host/wake.js';

const HOST_ISA: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i386', riscv64: 'riscv64', ppc64: 'ppc64', s390x: 's390x' };

/** Is `claim` a program the host can run itself? */
export function isHostNative(claim: Claim): boolean {
  return platform === 'linux' && claim.format === 'ELF' && claim.isa === HOST_ISA[arch] &&
    (claim.personality === 'linux' || claim.personality === null);
}

export interface NativeRun {
  hostPath: string;
  argv: string[];
  envp: string[];
  cwd: string;
  /** Host fds standing for the guest's 0, 1 and 2. */
  stdio: [number, number, number];
}

/** Runs the host program to its end and reports how it ended. */
export function runNative(r: NativeRun): ExitReason {
  const env: Record<string, string> = {};
  for (const kv of r.envp) {
    const eq = kv.indexOf('=');
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const res = spawnSync(r.hostPath, r.argv.slice(1), { argv0: r.argv[0], env, cwd: r.cwd, stdio: r.stdio });
  if (res.error) return { kind: 'exit', code: 127 };
  if (res.signal) return { kind: 'signal', name: res.signal, number: hostSignals[res.signal] ?? 0, coreDumped: false };
  return { kind: 'exit', code: res.status ?? 0 };
}
