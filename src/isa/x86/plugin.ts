/** The x86 cores (x86-64 and i386, one decoder) as a plugin: loaded by the same loader as third-party plugins. */
import { ContainerModule } from 'inversify';
import type { PluginManifest } from '../../plugin/contracts.js';
import { TOKENS } from '../../plugin/contracts.js';
import { i386CoreFactory, x86_64CoreFactory } from './core.js';

export const manifest: PluginManifest = {
  name: 'isa-x86',
  version: '0.1.0',
  description: 'x86 interpreter cores (x86-64 and i386, user mode): integer ISA, SSE/SSE2, CPUID, SYSCALL / INT 0x80',
  provides: { isa: ['x86_64', 'i386'] },
};

export const module = new ContainerModule((bind) => {
  bind(TOKENS.IsaCoreFactory).toConstantValue(x86_64CoreFactory);
  bind(TOKENS.IsaCoreFactory).toConstantValue(i386CoreFactory);
});
