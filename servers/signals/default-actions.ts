/**
 * What a signal does when its disposition is the default (signal(7)): end
 * the process, end it with a core dump, nothing, stop it, or continue it.
 * Neutral names; the same for Linux and Haiku programs.
 */
export type DefaultAction = 'term' | 'core' | 'ign' | 'stop' | 'cont';

const ACTIONS: Readonly<Record<string, DefaultAction>> = {
  SIGQUIT: 'core', SIGILL: 'core', SIGTRAP: 'core', SIGABRT: 'core', SIGBUS: 'core', SIGFPE: 'core',
  SIGSEGV: 'core', SIGXCPU: 'core', SIGXFSZ: 'core', SIGSYS: 'core',
  SIGCHLD: 'ign', SIGURG: 'ign', SIGWINCH: 'ign',
  SIGSTOP: 'stop', SIGTSTP: 'stop', SIGTTIN: 'stop', SIGTTOU: 'stop',
  SIGCONT: 'cont',
};

/** The default action of `name`; every signal not listed ends the process. */
export function defaultAction(name: string): DefaultAction {
  return ACTIONS[name] ?? 'term';
}

