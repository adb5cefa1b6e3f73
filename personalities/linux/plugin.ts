/** The Linux personality as a plugin: loaded by the same loader as third-party plugins. */
import { ContainerModule } from 'inversify';
import type { PluginManifest } from '../../src/plugin/contracts.js';
import { TOKENS } from '../../src/plugin/contracts.js';
import { LinuxPersonality } from './personality.js';

export const manifest: PluginManifest = {
  name: 'linux',
  version: '0.1.0',
  description: 'Linux personality: ELF programs using the Linux syscall ABI (riscv64, MIPS o32, aarch64, x86-64)',
  provides: { personality: ['linux'], sniffer: ['linux-elf'] },
};

export const module = new ContainerModule((bind) => {
  bind(TOKENS.Personality).to(LinuxPersonality).inSingletonScope();
});
