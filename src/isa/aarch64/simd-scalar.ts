import type { A64State } from './state.js';
export function execSimdScalar(_s: A64State, _insn: number): boolean { return false; }
