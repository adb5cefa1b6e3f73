/** The MIPS32r2 cores (mipsel and mips) as a plugin: loaded like third-party plugins. */
import { ContainerModule } from 'inversify';
import type { PluginManifest } from '../../plugin/contracts.js';
import { TOKENS } from '../../plugin/contracts.js';
import { mipselCoreFactory, mipsCoreFactory } from './core.js';

export const manifest: PluginManifest = {
  name: 'isa-mips',
  version: '0.1.0',
  description: 'MIPS32 Release 2 interpreter cores (little- and big-endian) with FPU',
  provides: { isa: ['mips'] },
};

export const module = new ContainerModule((bind) => {
  bind(TOKENS.IsaCoreFactory).toConstantValue(mipselCoreFactory);
  bind(TOKENS.IsaCoreFactory).toConstantValue(mipsCoreFactory);
});
