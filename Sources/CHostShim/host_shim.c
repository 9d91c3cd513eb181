#define _GNU_SOURCE
#include <string.h>
#include <sys/klog.h>
#include "host_shim.h"

int spf_klogctl(int type, char *buf, int len) { return klogctl(type, buf, len); }

const void *spf_memmem(const void *haystack, size_t hlen, const void *needle, size_t nlen) {
    return memmem(haystack, hlen, needle, nlen);
}
