#ifndef SRIOV_PREFLIGHT_HOST_SHIM_H
#define SRIOV_PREFLIGHT_HOST_SHIM_H
#include <stddef.h>

/// syslog(2) / klogctl(3): the kernel log ring buffer (GNU extension, not visible to Swift's Glibc).
int spf_klogctl(int type, char *buf, int len);

/// memmem(3) (GNU extension).
const void *spf_memmem(const void *haystack, size_t hlen, const void *needle, size_t nlen);

#include <stdint.h>

/// SHA-256: `blocks` 64-byte blocks of `data` compressed into `state` (eight words, FIPS 180-4 order) with the
/// x86 SHA extensions. Returns 0, leaving `state` alone, when the CPU lacks them (or is not x86-64).
int spf_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#include <sys/types.h>

/// fork + execve with stdin/stdout/stderr on the given descriptors (-1: inherit). The child keeps the
/// caller's process group and gets SIGKILL when the spawning thread dies (PR_SET_PDEATHSIG).
/// Returns the child's pid, or -1 (errno set).
pid_t spf_spawn(const char *path, char *const argv[], char *const envp[], int in_fd, int out_fd, int err_fd);

/// pipe2(fds, O_CLOEXEC) (GNU extension).
int spf_pipe_cloexec(int fds[2]);

/// openat2(2) with RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH (Linux 5.6; -1 with ENOSYS before): a path that holds
/// no symlink anywhere and stays below `dirfd`, or -1 (ELOOP: a link on the way, EXDEV: it leaves `dirfd`).
int spf_openat_nolinks(int dirfd, const char *path, int flags);

/// `spf_openat_nolinks`, and with RESOLVE_NO_XDEV too when `same_mount` is non-zero: the path may not cross
/// onto another mount (EXDEV).
int spf_openat_confined(int dirfd, const char *path, int flags, int same_mount);

/// fstatfs(2) of an open descriptor: the filesystem's magic number and whether its mount has ST_NODEV.
/// 0, or -1 (errno set).
int spf_fs_of(int fd, unsigned long *type, int *nodev);

/// getdents64(2): the raw entries of an open directory (no glibc wrapper before 2.30).
long spf_getdents64(int fd, void *buf, size_t len);

/// mallopt: the heap (and a thread's arena) grows 8 MiB at a time and is not trimmed, blocks under 32 MiB come
/// from it (not one mmap each).
void spf_malloc_setup(void);

/// GNU gettext and setlocale (not visible through Swift's Glibc module): the people-facing text in the
/// operator's language (domain `sriov-preflight`, catalogs under <localedir>/<lang>/LC_MESSAGES/).
#include <libintl.h>
#include <locale.h>

#endif
