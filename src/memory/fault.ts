/** A guest memory access that the page table refuses. Never a host crash. */
export class GuestFault extends Error {
  constructor(
    readonly addr: number,
    readonly access: 'read' | 'write' | 'exec',
    /** maperr: nothing mapped there; accerr: mapped, but without that permission. */
    readonly reason: 'maperr' | 'accerr',
  ) {
    super(`guest ${access} fault at 0x${addr.toString(16)} (${reason})`);
    this.name = 'GuestFault';
  }
}
