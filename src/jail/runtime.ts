/**
 * What a worker makes of its RunSettings' jail: the files server's PathMap
 * and network policy, and the hint for a missing program interpreter.
 */
import { jailPathMap } from '../../servers/files/jail-resolve.js';
import { hostNetwork, networkPolicy, type NetworkPolicy } from '../../servers/files/network-policy.js';
import { identityPaths, sysrootPaths, type PathMap } from '../../servers/files/paths.js';
import { sysrootInstallHint } from '../../personalities/linux/sysroots.js';
import type { Claim } from '../plugin/contracts.js';
import type { JailSettings } from './settings.js';

export function jailPaths(settings: { jail?: JailSettings | null }): PathMap {
  const j = settings.jail;
  if (!j) return identityPaths;
  if (j.root !== null || j.mounts.length > 0) return jailPathMap({ root: j.root ?? '/', mounts: j.mounts });
  if (j.sysroot) return sysrootPaths(j.sysroot);
  return identityPaths;
}

/** The files server's network policy of a run's jail. */
export function jailNetwork(settings: { jail?: JailSettings | null }): NetworkPolicy {
  const j = settings.jail;
  return j ? networkPolicy(j.network, j.name, j.root) : hostNetwork;
}

export function missingInterpreterHint(settings: { jail?: JailSettings | null }, claim: Claim, _interp: string): string | null {
  const j = settings.jail;
  if (j?.root) return `the jail's root is ${j.root}`;
  if (j?.sysroot) return `not in the sysroot ${j.sysroot} nor on the host; ${sysrootInstallHint(claim) ?? 'name a sysroot with --sysroot DIR'}`;
  return sysrootInstallHint(claim);
}
