/**
 * Haiku syscall numbering, 2024 generation (286 calls): index = syscall number,
 * value = the call's name without the `_kern_` prefix. Haiku 2023+ (R1/beta5 and later): the 2022 list with event_queue_* after wait_for_objects, mutex_unlock renamed mutex_unblock, wait_for_thread_etc, and get_cpu/get_thread_affinity/set_thread_affinity after get_extended_team_info.
 * Data only (facts: order of declaration in Haiku's private syscalls.h), see
 * /work/shared/reference/haiku-beos-abi.md §2.3-2.4.
 */
export const HAIKU_SYSCALLS_2024: readonly string[] = Object.freeze([
  'is_computer_on', 'generic_syscall', 'getrlimit', 'setrlimit', 'shutdown', 'get_safemode_option',  // 0
  'wait_for_objects', 'event_queue_create', 'event_queue_select', 'event_queue_wait', 'mutex_lock', 'mutex_unblock',  // 6
  'mutex_switch_lock', 'mutex_sem_acquire', 'mutex_sem_release', 'create_sem', 'delete_sem', 'switch_sem',  // 12
  'switch_sem_etc', 'acquire_sem', 'acquire_sem_etc', 'release_sem', 'release_sem_etc', 'get_sem_count',  // 18
  'get_sem_info', 'get_next_sem_info', 'set_sem_owner', 'realtime_sem_open', 'realtime_sem_close', 'realtime_sem_unlink',  // 24
  'realtime_sem_get_value', 'realtime_sem_post', 'realtime_sem_wait', 'xsi_semget', 'xsi_semctl', 'xsi_semop',  // 30
  'xsi_msgctl', 'xsi_msgget', 'xsi_msgrcv', 'xsi_msgsnd', 'load_image', 'exit_team',  // 36
  'kill_team', 'get_current_team', 'wait_for_team', 'wait_for_child', 'exec', 'fork',  // 42
  'process_info', 'setpgid', 'setsid', 'change_root', 'spawn_thread', 'find_thread',  // 48
  'suspend_thread', 'resume_thread', 'rename_thread', 'set_thread_priority', 'kill_thread', 'exit_thread',  // 54
  'cancel_thread', 'thread_yield', 'wait_for_thread', 'wait_for_thread_etc', 'has_data', 'send_data',  // 60
  'receive_data', 'restore_signal_frame', 'get_thread_info', 'get_next_thread_info', 'get_team_info', 'get_next_team_info',  // 66
  'get_team_usage_info', 'get_extended_team_info', 'get_cpu', 'get_thread_affinity', 'set_thread_affinity', 'start_watching_system',  // 72
  'stop_watching_system', 'block_thread', 'unblock_thread', 'unblock_threads', 'estimate_max_scheduling_latency', 'set_scheduler_mode',  // 78
  'get_scheduler_mode', 'getgid', 'getuid', 'setregid', 'setreuid', 'getgroups',  // 84
  'setgroups', 'send_signal', 'set_signal_mask', 'sigaction', 'sigwait', 'sigsuspend',  // 90
  'sigpending', 'set_signal_stack', 'register_image', 'unregister_image', 'image_relocated', 'loading_app_failed',  // 96
  'get_image_info', 'get_next_image_info', 'read_kernel_image_symbols', 'mount', 'unmount', 'read_fs_info',  // 102
  'write_fs_info', 'next_device', 'sync', 'entry_ref_to_path', 'normalize_path', 'open_entry_ref',  // 108
  'open', 'open_dir_entry_ref', 'open_dir', 'open_parent_dir', 'fcntl', 'fsync',  // 114
  'flock', 'seek', 'create_dir_entry_ref', 'create_dir', 'remove_dir', 'read_link',  // 120
  'create_symlink', 'create_link', 'unlink', 'rename', 'create_fifo', 'create_pipe',  // 126
  'access', 'select', 'poll', 'open_attr_dir', 'read_attr', 'write_attr',  // 132
  'stat_attr', 'open_attr', 'remove_attr', 'rename_attr', 'open_index_dir', 'create_index',  // 138
  'read_index_stat', 'remove_index', 'getcwd', 'setcwd', 'open_query', 'read',  // 144
  'readv', 'write', 'writev', 'ioctl', 'read_dir', 'rewind_dir',  // 150
  'read_stat', 'write_stat', 'close', 'dup', 'dup2', 'lock_node',  // 156
  'unlock_node', 'get_next_fd_info', 'preallocate', 'socket', 'bind', 'shutdown_socket',  // 162
  'connect', 'listen', 'accept', 'recv', 'recvfrom', 'recvmsg',  // 168
  'send', 'sendto', 'sendmsg', 'getsockopt', 'setsockopt', 'getpeername',  // 174
  'getsockname', 'sockatmark', 'socketpair', 'get_next_socket_stat', 'stop_notifying', 'start_watching',  // 180
  'stop_watching', 'set_real_time_clock', 'set_timezone', 'get_timezone', 'set_real_time_clock_is_gmt', 'get_real_time_clock_is_gmt',  // 186
  'get_clock', 'set_clock', 'system_time', 'snooze_etc', 'create_timer', 'delete_timer',  // 192
  'get_timer', 'set_timer', 'create_area', 'delete_area', 'area_for', 'find_area',  // 198
  'get_area_info', 'get_next_area_info', 'resize_area', 'transfer_area', 'set_area_protection', 'clone_area',  // 204
  'reserve_address_range', 'unreserve_address_range', 'map_file', 'unmap_memory', 'set_memory_protection', 'sync_memory',  // 210
  'memory_advice', 'get_memory_properties', 'mlock', 'munlock', 'create_port', 'close_port',  // 216
  'delete_port', 'find_port', 'get_port_info', 'get_next_port_info', 'port_buffer_size_etc', 'port_count',  // 222
  'read_port_etc', 'set_port_owner', 'write_port_etc', 'writev_port_etc', 'get_port_message_info_etc', 'kernel_debugger',  // 228
  'register_syslog_daemon', 'debugger', 'disable_debugger', 'install_default_debugger', 'install_team_debugger', 'remove_team_debugger',  // 234
  'debug_thread', 'wait_for_debugger', 'set_debugger_breakpoint', 'clear_debugger_breakpoint', 'system_profiler_start', 'system_profiler_next_buffer',  // 240
  'system_profiler_stop', 'system_profiler_recorded', 'get_system_info', 'get_cpu_info', 'get_cpu_topology_info', 'analyze_scheduling',  // 246
  'debug_output', 'ktrace_output', 'frame_buffer_update', 'register_messaging_service', 'unregister_messaging_service', 'clear_caches',  // 252
  'cpu_enabled', 'set_cpu_enabled', 'get_next_disk_device_id', 'find_disk_device', 'find_partition', 'find_file_disk_device',  // 258
  'get_disk_device_data', 'register_file_device', 'unregister_file_device', 'get_file_disk_device_path', 'get_disk_system_info', 'get_next_disk_system_info',  // 264
  'find_disk_system', 'defragment_partition', 'repair_partition', 'resize_partition', 'move_partition', 'set_partition_name',  // 270
  'set_partition_content_name', 'set_partition_type', 'set_partition_parameters', 'set_partition_content_parameters', 'initialize_partition', 'uninitialize_partition',  // 276
  'create_child_partition', 'delete_child_partition', 'start_watching_disks', 'stop_watching_disks',  // 282
]);
