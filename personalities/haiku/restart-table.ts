/**
 * Which Haiku calls a caught signal interrupts (B_INTERRUPTED), and which of
 * them run again: Haiku's kernel entry points (src/system/kernel/sem.cpp
 * _user_acquire_sem(_etc), port.cpp _user_read_port_etc / _user_write_port_etc
 * / _user_port_buffer_size_etc, thread.cpp _user_snooze_etc and
 * _user_wait_for_thread, team.cpp _user_wait_for_child) wait with
 * B_CAN_INTERRUPT and mark themselves restartable (headers/private/kernel/
 * syscall_restart.h); handle_signals runs them again unless the handler
 * lacks SA_RESTART, keeping an absolute deadline across the restart. The
 * rule names are servers/signals/restart.ts's.
 *
 * A call that comes back interrupted and is not here is an internal error.
 * acquire_sem_etc without B_CAN_INTERRUPT in its flags is interruptible all
 * the same: the kernel adds the flag for every call from user space.
 */
import type { RestartRule } from '../../servers/signals/restart.js';

export const HAIKU_RESTART_TABLE: Readonly<Record<string, RestartRule>> = {
  snooze_etc: 'sa-resume',
  acquire_sem: 'sa-resume',
  acquire_sem_etc: 'sa-resume',
  read_port_etc: 'sa-resume',
  write_port_etc: 'sa-resume',
  port_buffer_size_etc: 'sa-resume',
  wait_for_thread: 'sa-resume',
  wait_for_thread_etc: 'sa-resume',
  wait_for_child: 'sa-resume',
};

/** SA_RESTART in Haiku's sa_flags (headers/posix/signal.h). */
export const HAIKU_SA_RESTART = 0x10;
