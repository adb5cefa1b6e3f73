/** The AArch64 (A64) core as a plugin: loaded by the same loader as third-party plugins. */
import { ContainerModule } from 'inversify';
import type { PluginManifest } from '../../plugin/contracts.js';
import { TOKENS } from '../../plugin/contracts.js';
import { a64CoreFactory } from './core.js';

export const manifest: PluginManifest = {
  name: 'isa-aarch64',
  version: '0.1.0',
  description: 'AArch64 (A64, EL0) interpreter core: base integer ISA, LSE atomics, SIMD&FP loads/stores',
  provides: { isa: ['aarch64'] },
};

export const module = new ContainerModule((bind) => {
  bind(TOKENS.IsaCoreFactory).toConstantValue(a64CoreFactory);
});
