#ifndef CUADERNO_PROCESS_SUPPORT_H
#define CUADERNO_PROCESS_SUPPORT_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close on exec, so a child spawned by another thread never
/// inherits them (which would keep the pipe open after this child exits).
int cuaderno_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np: the child starts in `path`.
int cuaderno_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

/// Limits the virtual memory (RLIMIT_AS, soft and hard) of a running process; 0 or -1 (errno).
int cuaderno_limit_address_space(pid_t pid, unsigned long long bytes);

#endif
