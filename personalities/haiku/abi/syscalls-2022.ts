/**
 * Haiku syscall numbering, 2022 generation (279 calls): index = syscall number,
 * value = the call's name without the `_kern_` prefix. Haiku nightlies of 2022 (R1/beta3..beta4 era).
 * Data only (facts: order of declaration in Haiku's private syscalls.h), see
 * /work/shared/reference/haiku-beos-abi.md §2.3-2.4.
 */
export const HAIKU_SYSCALLS_2022: readonly string[] = Object.freeze([
  'is_computer_on', 'generic_syscall', 'getrlimit', 'setrlimit', 'shutdown', 'get_safemode_option',  // 0
  'wait_for_objects', 'mutex_lock', 'mutex_unlock', 'mutex_switch_lock', 'mutex_sem_acquire', 'mutex_sem_release',  // 6
  'create_sem', 'delete_sem', 'switch_sem', 'switch_sem_etc', 'acquire_sem', 'acquire_sem_etc',  // 12
  'release_sem', 'release_sem_etc', 'get_sem_count', 'get_sem_info', 'get_next_sem_info', 'set_sem_owner',  // 18
  'realtime_sem_open', 'realtime_sem_close', 'realtime_sem_unlink', 'realtime_sem_get_value', 'realtime_sem_post', 'realtime_sem_wait',  // 24
  'xsi_semget', 'xsi_semctl', 'xsi_semop', 'xsi_msgctl', 'xsi_msgget', 'xsi_msgrcv',  // 30
  'xsi_msgsnd', 'load_image', 'exit_team', 'kill_team', 'get_current_team', 'wait_for_team',  // 36
  'wait_for_child', 'exec', 'fork', 'process_info', 'setpgid', 'setsid',  // 42
  'change_root', 'spawn_thread', 'find_thread', 'suspend_thread', 'resume_thread', 'rename_thread',  // 48
  'set_thread_priority', 'kill_thread', 'exit_thread', 'cancel_thread', 'thread_yield', 'wait_for_thread',  // 54
  'has_data', 'send_data', 'receive_data', 'restore_signal_frame', 'get_thread_info', 'get_next_thread_info',  // 60
  'get_team_info', 'get_next_team_info', 'get_team_usage_info', 'get_extended_team_info', 'start_watching_system', 'stop_watching_system',  // 66
  'block_thread', 'unblock_thread', 'unblock_threads', 'estimate_max_scheduling_latency', 'set_scheduler_mode', 'get_scheduler_mode',  // 72
  'getgid', 'getuid', 'setregid', 'setreuid', 'getgroups', 'setgroups',  // 78
  'send_signal', 'set_signal_mask', 'sigaction', 'sigwait', 'sigsuspend', 'sigpending',  // 84
  'set_signal_stack', 'register_image', 'unregister_image', 'image_relocated', 'loading_app_failed', 'get_image_info',  // 90
  'get_next_image_info', 'read_kernel_image_symbols', 'mount', 'unmount', 'read_fs_info', 'write_fs_info',  // 96
  'next_device', 'sync', 'entry_ref_to_path', 'normalize_path', 'open_entry_ref', 'open',  // 102
  'open_dir_entry_ref', 'open_dir', 'open_parent_dir', 'fcntl', 'fsync', 'flock',  // 108
  'seek', 'create_dir_entry_ref', 'create_dir', 'remove_dir', 'read_link', 'create_symlink',  // 114
  'create_link', 'unlink', 'rename', 'create_fifo', 'create_pipe', 'access',  // 120
  'select', 'poll', 'open_attr_dir', 'read_attr', 'write_attr', 'stat_attr',  // 126
  'open_attr', 'remove_attr', 'rename_attr', 'open_index_dir', 'create_index', 'read_index_stat',  // 132
  'remove_index', 'getcwd', 'setcwd', 'open_query', 'read', 'readv',  // 138
  'write', 'writev', 'ioctl', 'read_dir', 'rewind_dir', 'read_stat',  // 144
  'write_stat', 'close', 'dup', 'dup2', 'lock_node', 'unlock_node',  // 150
  'get_next_fd_info', 'preallocate', 'socket', 'bind', 'shutdown_socket', 'connect',  // 156
  'listen', 'accept', 'recv', 'recvfrom', 'recvmsg', 'send',  // 162
  'sendto', 'sendmsg', 'getsockopt', 'setsockopt', 'getpeername', 'getsockname',  // 168
  'sockatmark', 'socketpair', 'get_next_socket_stat', 'stop_notifying', 'start_watching', 'stop_watching',  // 174
  'set_real_time_clock', 'set_timezone', 'get_timezone', 'set_real_time_clock_is_gmt', 'get_real_time_clock_is_gmt', 'get_clock',  // 180
  'set_clock', 'system_time', 'snooze_etc', 'create_timer', 'delete_timer', 'get_timer',  // 186
  'set_timer', 'create_area', 'delete_area', 'area_for', 'find_area', 'get_area_info',  // 192
  'get_next_area_info', 'resize_area', 'transfer_area', 'set_area_protection', 'clone_area', 'reserve_address_range',  // 198
  'unreserve_address_range', 'map_file', 'unmap_memory', 'set_memory_protection', 'sync_memory', 'memory_advice',  // 204
  'get_memory_properties', 'mlock', 'munlock', 'create_port', 'close_port', 'delete_port',  // 210
  'find_port', 'get_port_info', 'get_next_port_info', 'port_buffer_size_etc', 'port_count', 'read_port_etc',  // 216
  'set_port_owner', 'write_port_etc', 'writev_port_etc', 'get_port_message_info_etc', 'kernel_debugger', 'register_syslog_daemon',  // 222
  'debugger', 'disable_debugger', 'install_default_debugger', 'install_team_debugger', 'remove_team_debugger', 'debug_thread',  // 228
  'wait_for_debugger', 'set_debugger_breakpoint', 'clear_debugger_breakpoint', 'system_profiler_start', 'system_profiler_next_buffer', 'system_profiler_stop',  // 234
  'system_profiler_recorded', 'get_system_info', 'get_cpu_info', 'get_cpu_topology_info', 'analyze_scheduling', 'debug_output',  // 240
  'ktrace_output', 'frame_buffer_update', 'register_messaging_service', 'unregister_messaging_service', 'clear_caches', 'cpu_enabled',  // 246
  'set_cpu_enabled', 'get_next_disk_device_id', 'find_disk_device', 'find_partition', 'find_file_disk_device', 'get_disk_device_data',  // 252
  'register_file_device', 'unregister_file_device', 'get_file_disk_device_path', 'get_disk_system_info', 'get_next_disk_system_info', 'find_disk_system',  // 258
  'defragment_partition', 'repair_partition', 'resize_partition', 'move_partition', 'set_partition_name', 'set_partition_content_name',  // 264
  'set_partition_type', 'set_partition_parameters', 'set_partition_content_parameters', 'initialize_partition', 'uninitialize_partition', 'create_child_partition',  // 270
  'delete_child_partition', 'start_watching_disks', 'stop_watching_disks',  // 276
]);
