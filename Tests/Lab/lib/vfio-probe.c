/* vfio-probe GROUP: does a vfio group attach to a type1 IOMMU container? (lab evidence only)
 * Prints the API version, TYPE1v2 support, group viability and the result of SET_CONTAINER and
 * SET_IOMMU; exit 0 when the container could be set up. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

int main(int argc, char **argv)
{
    char path[64];
    struct vfio_group_status st = { .argsz = sizeof(st) };
    int c, g;

    if (argc != 2) {
        fprintf(stderr, "usage: vfio-probe GROUP\n");
        return 64;
    }
    c = open("/dev/vfio/vfio", O_RDWR);
    if (c < 0) {
        printf("open /dev/vfio/vfio: %s\n", strerror(errno));
        return 1;
    }
    printf("api_version=%d\n", ioctl(c, VFIO_GET_API_VERSION));
    printf("type1v2_supported=%d\n", ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
    snprintf(path, sizeof(path), "/dev/vfio/%s", argv[1]);
    g = open(path, O_RDWR);
    if (g < 0) {
        printf("open %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (ioctl(g, VFIO_GROUP_GET_STATUS, &st) == 0)
        printf("group_viable=%d\n", (st.flags & VFIO_GROUP_FLAGS_VIABLE) ? 1 : 0);
    if (ioctl(g, VFIO_GROUP_SET_CONTAINER, &c) != 0) {
        printf("SET_CONTAINER: %s\n", strerror(errno));
        return 1;
    }
    printf("SET_CONTAINER: ok\n");
    if (ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) != 0) {
        printf("SET_IOMMU(TYPE1v2): %s\n", strerror(errno));
        return 1;
    }
    printf("SET_IOMMU(TYPE1v2): ok\n");
    return 0;
}
