#ifndef SRIOV_PREFLIGHT_HOST_SHIM_H
#define SRIOV_PREFLIGHT_HOST_SHIM_H
#include <stddef.h>

/// syslog(2) / klogctl(3): the kernel log ring buffer (GNU extension, not visible to Swift's Glibc).
int spf_klogctl(int type, char *buf, int len);

/// memmem(3) (GNU extension).
const void *spf_memmem(const void *haystack, size_t hlen, const void *needle, size_t nlen);

#endif
