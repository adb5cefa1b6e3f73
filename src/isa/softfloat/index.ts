/** ISA-neutral IEEE 754 binary32/binary64 arithmetic (see core.ts for conventions). */
export * from './core.js';
export * from './f64.js';
export * from './f32.js';
export * from './convert.js';
