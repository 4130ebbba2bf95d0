// glibc functions that need _GNU_SOURCE, which Swift's Glibc module does not define.
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <unistd.h>

#include "CProcessSupport.h"

int cuaderno_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int cuaderno_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cuaderno_limit_address_space(pid_t pid, unsigned long long bytes) {
    struct rlimit limit = { .rlim_cur = bytes, .rlim_max = bytes };
    return prlimit(pid, RLIMIT_AS, &limit, NULL);
}
