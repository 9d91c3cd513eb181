/*
 * CPCIShim: libpci behind setjmp guards.
 *
 * libpci reports fatal errors through a callback that must never return (the
 * default one calls exit(1)). Every function below arms a guard with setjmp
 * before calling into libpci; the error callback installed here formats the
 * message into a thread-local buffer and longjmps back to that guard, so the
 * caller gets CPCI_E_LIBPCI and the message from cpci_last_error(). The jump
 * never leaves this C file, so it never crosses a Swift frame.
 *
 * Only plain C types appear here; <pci/pci.h> stays private to the .c file.
 * A handle must be used by one thread at a time (libpci keeps per-access state).
 */
#ifndef CPCISHIM_H
#define CPCISHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cpci_handle cpci_handle;

/* Return codes of every int-returning function. */
enum {
  CPCI_OK = 0,
  CPCI_E_LIBPCI = 1,   /* libpci reported a fatal error: cpci_last_error() has its message */
  CPCI_E_INVALID = 2,  /* bad argument: NULL handle or pointer, index out of range, unknown method */
  CPCI_E_NOMEM = 3,    /* allocation failed */
  CPCI_E_POISONED = 4  /* an earlier libpci error left this handle unusable; only close it */
};

/* Access methods supported by cpci_open. */
enum {
  CPCI_METHOD_SYSFS = 1, /* PCI_ACCESS_SYS_BUS_PCI, parameter "sysfs.path" = a .../sys/bus/pci dir */
  CPCI_METHOD_DUMP = 2   /* PCI_ACCESS_DUMP, parameter "dump.name" = an `lspci -x...` dump file */
};

/* What libpci's fill_info reports for one function. */
typedef struct cpci_function_info {
  uint32_t domain;
  uint8_t bus;
  uint8_t device;
  uint8_t function;
  uint8_t prog_if;
  uint16_t vendor_id;
  uint16_t device_id;
  uint16_t device_class;        /* base class << 8 | subclass */
  uint8_t revision;
  uint8_t reserved;
  uint16_t subsystem_vendor_id;
  uint16_t subsystem_id;
  uint32_t known_fields;        /* PCI_FILL_* bits libpci says it filled */
} cpci_function_info;

/* pci_alloc + parameter + pci_init. source_path is the sysfs.path or dump.name
 * value (NULL keeps libpci's default). debugging != 0 routes libpci's debug
 * messages into the thread-local message buffer. On failure *out is NULL. */
int cpci_open(int method, const char *source_path, int debugging, cpci_handle **out);

/* pci_alloc for name lookups only (no access method is initialised). ids_path
 * NULL keeps libpci's default pci.ids. udev hwdb, DNS and the ~/.pciids-cache
 * are disabled so that names come from the pci.ids file alone. */
int cpci_open_names(const char *ids_path, cpci_handle **out);

/* pci_cleanup (guarded) and free. NULL is accepted. */
void cpci_close(cpci_handle *handle);

/* pci_scan_bus; *count receives the number of functions found. */
int cpci_scan_bus(cpci_handle *handle, size_t *count);

/* pci_fill_info(IDENT | CLASS | CLASS_EXT | SUBSYS) for function number index
 * (libpci's list order, which is readdir order for sysfs: not sorted). */
int cpci_fill_info(cpci_handle *handle, size_t index, cpci_function_info *out);

/* pci_read_block of length bytes at offset. *readable is 1 when libpci could
 * read the whole range and 0 when it could not (the buffer is then untouched). */
int cpci_read_block(cpci_handle *handle, size_t index, uint32_t offset,
                    uint8_t *buffer, uint32_t length, int *readable);

/* pci_lookup_name wrappers. *found is 0 when the ID is not in the database
 * (buffer then holds an empty string). */
int cpci_lookup_vendor(cpci_handle *handle, uint16_t vendor_id,
                       char *buffer, size_t size, int *found);
int cpci_lookup_device(cpci_handle *handle, uint16_t vendor_id, uint16_t device_id,
                       char *buffer, size_t size, int *found);
int cpci_lookup_class(cpci_handle *handle, uint16_t device_class,
                      char *buffer, size_t size, int *found);
int cpci_lookup_subsystem(cpci_handle *handle, uint16_t vendor_id, uint16_t device_id,
                          uint16_t subsystem_vendor_id, uint16_t subsystem_id,
                          char *buffer, size_t size, int *found);

/* Thread-local messages. The error message is that of the last libpci fatal
 * error on this thread; warnings (and debug lines when enabled) accumulate,
 * newline-separated and bounded, until cpci_clear_messages(). */
const char *cpci_last_error(void);
const char *cpci_messages(void);
void cpci_clear_messages(void);

#ifdef __cplusplus
}
#endif

#endif /* CPCISHIM_H */
