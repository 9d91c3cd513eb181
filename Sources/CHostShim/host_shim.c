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

#include <errno.h>
#include <sys/syscall.h>
#include <stdint.h>
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* openat2(2) with RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH: the kernel refuses a symlink anywhere on the path
 * (ELOOP) and any step out of dirfd (EXDEV). The struct is built here: glibc has no wrapper. */
/* With RESOLVE_NO_XDEV as well when `same_mount`: no step onto another mount either. */
int spf_openat_confined(int dirfd, const char *path, int flags, int same_mount) {
    struct { uint64_t flags, mode, resolve; } how = { (uint64_t)(unsigned)flags, 0, 0x04 | 0x08 | (same_mount ? 0x01 : 0) };
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

int spf_openat_nolinks(int dirfd, const char *path, int flags) { return spf_openat_confined(dirfd, path, flags, 0); }

long spf_getdents64(int fd, void *buf, size_t len) { return syscall(SYS_getdents64, fd, buf, len); }

#include <sys/statfs.h>
/* The filesystem an open descriptor is on: its magic number (f_type), and whether its mount forbids device
 * nodes (ST_NODEV in f_flags). 0 on success. */
int spf_fs_of(int fd, unsigned long *type, int *nodev) {
    struct statfs sf;
    if (fstatfs(fd, &sf) != 0) return -1;
    *type = (unsigned long)sf.f_type;
    *nodev = (sf.f_flags & 4 /* ST_NODEV */) != 0;
    return 0;
}

#include <malloc.h>
/* Each thread allocates from an arena of its own (one arena for all made the readers' threads wait on its
 * lock: ~7% of a big host's CPU time); a thread's arena starts with the top pad mapped (glibc's new_heap), so
 * its first 8 MiB do not grow it one mprotect(2) per page (beyond them it does: an 8x128 host's two readers
 * stay under, 16 mprotect calls in all). */
void spf_malloc_setup(void) {
    mallopt(M_TOP_PAD, 8 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
}
