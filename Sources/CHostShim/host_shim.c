#define _GNU_SOURCE
#include <string.h>
#include <sys/klog.h>
#include "host_shim.h"

int spf_klogctl(int type, char *buf, int len) { return klogctl(type, buf, len); }

const void *spf_memmem(const void *haystack, size_t hlen, const void *needle, size_t nlen) {
    return memmem(haystack, hlen, needle, nlen);
}

#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

/* fork + exec for the tools a bundle needs (tar, gzip). The child stays in the tool's process group (a
 * Ctrl-C reaches it too) and is killed by the kernel when the thread that spawned it dies
 * (PR_SET_PDEATHSIG), so it never outlives the tool. Only async-signal-safe calls after fork. */
pid_t spf_spawn(const char *path, char *const argv[], char *const envp[], int in_fd, int out_fd, int err_fd) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0) return pid;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    if (in_fd >= 0 && in_fd != 0) { if (dup2(in_fd, 0) < 0) _exit(127); }
    if (out_fd >= 0 && out_fd != 1) { if (dup2(out_fd, 1) < 0) _exit(127); }
    if (err_fd >= 0 && err_fd != 2) { if (dup2(err_fd, 2) < 0) _exit(127); }
    signal(SIGPIPE, SIG_DFL);
    execve(path, argv, envp);
    _exit(127);
}

#include <fcntl.h>
int spf_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
