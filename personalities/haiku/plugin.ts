/** The Haiku personality as a plugin: loaded by the same loader as every other plugin. */
import { ContainerModule } from 'inversify';
import type { PluginManifest } from '../../src/plugin/contracts.js';
import { TOKENS } from '../../src/plugin/contracts.js';
import { HaikuPersonality } from './personality.js';

export const manifest: PluginManifest = {
  name: 'haiku',
  version: '0.1.0',
  description: 'Haiku personality: Haiku ELF programs (riscv64) with Haiku\'s syscall ABI, libroot.so and runtime_loader start-up',
  provides: { personality: ['haiku'], sniffer: ['haiku-elf'] },
};

export const module = new ContainerModule((bind) => {
  bind(TOKENS.Personality).to(HaikuPersonality).inSingletonScope();
});
