/**
 * The pid namespace every process of one run lives in. A shared namespace
 * numbers guest processes in compat's own pid space and shows the user's
 * shell as the first process's parent; an own namespace (jail
 * `pidNamespace: "own"`) numbers them from 1, hides the parent (0) and
 * protects its init as Linux protects a namespace's init: it only gets the
 * signals it has handlers for.
 */
export class PidNamespace {
  /** The first guest process (set when it is created). */
  initPid = 0;

  constructor(readonly own: boolean) {}

  /** Where pid numbering starts. */
  get firstPid(): number {
    return this.own ? 1 : process.pid;
  }

  /** What getppid() tells the first process (its parent lives outside). */
  get parentOfInit(): number {
    return this.own ? 0 : process.ppid;
  }

  /** Signals sent from inside the namespace skip its init unless it handles them (SIGKILL and SIGSTOP included). */
  shieldsInit(pid: number): boolean {
    return this.own && pid === this.initPid;
  }
}
