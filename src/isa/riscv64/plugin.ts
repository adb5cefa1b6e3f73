/** The RV64GC core as a plugin: loaded by the same loader as third-party plugins. */
import { ContainerModule } from 'inversify';
import type { PluginManifest } from '../../plugin/contracts.js';
import { TOKENS } from '../../plugin/contracts.js';
import { rv64CoreFactory } from './core.js';

export const manifest: PluginManifest = {
  name: 'isa-riscv64',
  version: '0.1.0',
  description: 'RV64IMAFDC + Zicsr + Zifencei interpreter core',
  provides: { isa: ['riscv64'] },
};

export const module = new ContainerModule((bind) => {
  bind(TOKENS.IsaCoreFactory).toConstantValue(rv64CoreFactory);
});
