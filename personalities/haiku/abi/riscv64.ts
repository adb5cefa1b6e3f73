/**
 * Haiku's syscall convention on riscv64: `li t0, N; ecall; ret`. Number in t0,
 * arguments in a0..a7 then 8-byte slots on the user stack at sp, the result
 * (or a negative Haiku status code) in a0; the kernel moves epc past ecall.
 */
import type { IsaCore, SyscallAbi } from '../../../src/plugin/contracts.js';

const T0 = 5;
const SP = 2;
const A0 = 10;

export const riscv64HaikuAbi: SyscallAbi = {
  number: (core: IsaCore) => core.getRegLo(T0),
  arg: (core: IsaCore, i: number) => {
    if (i < 8) return BigInt.asIntN(64, core.getReg(A0 + i));
    const sp = Number(BigInt.asUintN(32, core.getReg(SP)));
    return core.mem.readI64(sp + (i - 8) * 8);
  },
  setResult: (core: IsaCore, v: bigint) => core.setReg(A0, BigInt.asUintN(64, v)),
  // errors are already negative Haiku codes: written as they are
  setError: (core: IsaCore, code: number) => core.setReg(A0, BigInt.asUintN(64, BigInt(code))),
  advance: (core: IsaCore) => { core.pc += 4; },
  restart: (core: IsaCore) => { core.pc -= 4; },
};
