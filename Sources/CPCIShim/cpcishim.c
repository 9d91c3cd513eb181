/*
 * CPCIShim implementation: see include/cpcishim.h for the contract.
 *
 * Pattern: each public entry point packs its arguments into a small context
 * struct and hands a static "body" function to run_guarded(), which arms a
 * thread-local jmp_buf, calls the body (the only place libpci is called) and
 * turns a longjmp from on_fatal() into CPCI_E_LIBPCI. No Swift frame is ever
 * between setjmp and longjmp.
 */
#include "cpcishim.h"

#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cpci_handle {
  struct pci_access *access;
  struct pci_dev **devices; /* filled by cpci_scan_bus, libpci list order */
  size_t count;
  int poisoned;             /* set once libpci reported a fatal error */
};

/* ---- thread-local state ------------------------------------------------ */

#define CPCI_ERROR_SIZE 1024
#define CPCI_MESSAGES_SIZE 8192

static _Thread_local jmp_buf *tls_guard;
static _Thread_local char tls_error[CPCI_ERROR_SIZE];
static _Thread_local char tls_messages[CPCI_MESSAGES_SIZE];
static _Thread_local size_t tls_messages_length;

__attribute__((format(printf, 2, 0))) static void append_message(const char *prefix, const char *format, va_list args) {
  size_t room = CPCI_MESSAGES_SIZE - tls_messages_length;
  if (room <= 1)
    return;
  char line[CPCI_ERROR_SIZE];
  vsnprintf(line, sizeof line, format, args);
  size_t length = strlen(line);
  while (length > 0 && line[length - 1] == '\n') /* libpci's debug lines may end in \n */
    line[--length] = 0;
  int written = snprintf(tls_messages + tls_messages_length, room, "%s%s\n", prefix, line);
  if (written < 0)
    return;
  tls_messages_length += (size_t)written < room ? (size_t)written : room - 1;
}

/* libpci's error callback: must not return. */
__attribute__((noreturn, format(printf, 1, 2))) static void on_fatal(char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(tls_error, sizeof tls_error, format, args);
  va_end(args);
  if (tls_guard)
    longjmp(*tls_guard, 1);
  /* Unreachable by construction: every libpci call below runs under a guard.
   * Returning would let libpci carry on with invalid state, so stop here. */
  fprintf(stderr, "CPCIShim: libpci error outside a guard: %s\n", tls_error);
  abort();
}

__attribute__((format(printf, 1, 2))) static void on_warning(char *format, ...) {
  va_list args;
  va_start(args, format);
  append_message("warning: ", format, args);
  va_end(args);
}

__attribute__((format(printf, 1, 2))) static void on_debug(char *format, ...) {
  va_list args;
  va_start(args, format);
  append_message("debug: ", format, args);
  va_end(args);
}

const char *cpci_last_error(void) { return tls_error; }
const char *cpci_messages(void) { return tls_messages; }

void cpci_clear_messages(void) {
  tls_messages[0] = 0;
  tls_messages_length = 0;
}

/* ---- the guard ---------------------------------------------------------- */

typedef void (*guarded_body)(struct pci_access *access, void *context);

/* Runs body(access, context) with a fresh jmp_buf armed. The previously armed
 * guard (if any) is restored on both paths, so guards nest and reset. */
static int run_guarded(cpci_handle *handle, struct pci_access *access,
                       guarded_body body, void *context) {
  jmp_buf *const outer = tls_guard;
  jmp_buf env;
  if (setjmp(env) != 0) {
    tls_guard = outer;
    if (handle)
      handle->poisoned = 1;
    return CPCI_E_LIBPCI;
  }
  tls_guard = &env;
  body(access, context);
  tls_guard = outer;
  return CPCI_OK;
}

static int usable(const cpci_handle *handle) {
  if (!handle || !handle->access)
    return CPCI_E_INVALID;
  return handle->poisoned ? CPCI_E_POISONED : CPCI_OK;
}

static int device_at(const cpci_handle *handle, size_t index, struct pci_dev **device) {
  int status = usable(handle);
  if (status != CPCI_OK)
    return status;
  if (index >= handle->count)
    return CPCI_E_INVALID;
  *device = handle->devices[index];
  return CPCI_OK;
}

/* ---- open / close ------------------------------------------------------- */

static void install_callbacks(struct pci_access *access) {
  access->error = on_fatal;
  access->warning = on_warning;
  access->debug = on_debug;
}

static cpci_handle *new_handle(void) {
  cpci_handle *handle = calloc(1, sizeof *handle);
  if (!handle)
    return NULL;
  /* pci_alloc only fails by calling the NULL access's error handler (exit), so
   * it is not guardable; it allocates nothing but memory. */
  handle->access = pci_alloc();
  install_callbacks(handle->access);
  return handle;
}

struct open_context {
  unsigned int method;
  const char *parameter;
  const char *value;
};

static void open_body(struct pci_access *access, void *raw) {
  struct open_context *context = raw;
  access->method = context->method;
  if (context->value && pci_set_param(access, (char *)context->parameter, (char *)context->value) != 0)
    access->error("Unknown libpci parameter %s", context->parameter);
  pci_init(access);
}

int cpci_open(int method, const char *source_path, int debugging, cpci_handle **out) {
  if (!out)
    return CPCI_E_INVALID;
  *out = NULL;
  struct open_context context = {0};
  switch (method) {
  case CPCI_METHOD_SYSFS:
    context.method = PCI_ACCESS_SYS_BUS_PCI;
    context.parameter = "sysfs.path";
    break;
  case CPCI_METHOD_DUMP:
    context.method = PCI_ACCESS_DUMP;
    context.parameter = "dump.name";
    break;
  default:
    return CPCI_E_INVALID;
  }
  context.value = source_path;
  cpci_handle *handle = new_handle();
  if (!handle)
    return CPCI_E_NOMEM;
  handle->access->debugging = debugging != 0;
  int status = run_guarded(handle, handle->access, open_body, &context);
  if (status != CPCI_OK) {
    cpci_close(handle);
    return status;
  }
  *out = handle;
  return CPCI_OK;
}

struct names_context {
  const char *ids_path;
};

static void names_body(struct pci_access *access, void *raw) {
  struct names_context *context = raw;
  access->id_lookup_mode = 0; /* no DNS, no ~/.pciids-cache */
  pci_set_param(access, "hwdb.disable", "1");
  if (context->ids_path) {
    char *copy = strdup(context->ids_path);
    if (!copy)
      access->error("Out of memory");
    pci_set_name_list_path(access, copy, 1); /* libpci frees the copy */
  }
}

int cpci_open_names(const char *ids_path, cpci_handle **out) {
  if (!out)
    return CPCI_E_INVALID;
  *out = NULL;
  cpci_handle *handle = new_handle();
  if (!handle)
    return CPCI_E_NOMEM;
  struct names_context context = {ids_path};
  int status = run_guarded(handle, handle->access, names_body, &context);
  if (status != CPCI_OK) {
    cpci_close(handle);
    return status;
  }
  *out = handle;
  return CPCI_OK;
}

static void cleanup_body(struct pci_access *access, void *context) {
  (void)context;
  pci_cleanup(access);
}

void cpci_close(cpci_handle *handle) {
  if (!handle)
    return;
  /* Cleanup after a fatal error may itself fail; the access is then leaked
   * rather than risking a second unwind through half-freed state. */
  if (handle->access)
    run_guarded(NULL, handle->access, cleanup_body, NULL);
  free(handle->devices);
  free(handle);
}

/* ---- scanning and config space ------------------------------------------- */

static void scan_body(struct pci_access *access, void *context) {
  (void)context;
  pci_scan_bus(access);
}

int cpci_scan_bus(cpci_handle *handle, size_t *count) {
  int status = usable(handle);
  if (status != CPCI_OK || !count)
    return status != CPCI_OK ? status : CPCI_E_INVALID;
  status = run_guarded(handle, handle->access, scan_body, NULL);
  if (status != CPCI_OK)
    return status;
  size_t total = 0;
  for (struct pci_dev *device = handle->access->devices; device; device = device->next)
    total++;
  struct pci_dev **devices = calloc(total ? total : 1, sizeof *devices);
  if (!devices)
    return CPCI_E_NOMEM;
  size_t index = 0;
  for (struct pci_dev *device = handle->access->devices; device; device = device->next)
    devices[index++] = device;
  free(handle->devices);
  handle->devices = devices;
  handle->count = total;
  *count = total;
  return CPCI_OK;
}

struct fill_context {
  struct pci_dev *device;
  cpci_function_info *info;
};

static void fill_body(struct pci_access *access, void *raw) {
  (void)access;
  struct fill_context *context = raw;
  struct pci_dev *device = context->device;
  cpci_function_info *info = context->info;
  int known = pci_fill_info(device, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT | PCI_FILL_SUBSYS);
  memset(info, 0, sizeof *info);
  info->domain = (uint32_t)device->domain;
  info->bus = device->bus;
  info->device = device->dev;
  info->function = device->func;
  info->vendor_id = device->vendor_id;
  info->device_id = device->device_id;
  info->device_class = device->device_class;
  info->prog_if = device->prog_if;
  info->revision = device->rev_id;
  info->subsystem_vendor_id = device->subsys_vendor_id;
  info->subsystem_id = device->subsys_id;
  info->known_fields = (uint32_t)known;
}

int cpci_fill_info(cpci_handle *handle, size_t index, cpci_function_info *out) {
  struct fill_context context = {NULL, out};
  int status = device_at(handle, index, &context.device);
  if (status != CPCI_OK || !out)
    return status != CPCI_OK ? status : CPCI_E_INVALID;
  return run_guarded(handle, handle->access, fill_body, &context);
}

struct read_context {
  struct pci_dev *device;
  uint32_t offset;
  uint8_t *buffer;
  uint32_t length;
  int readable;
};

static void read_body(struct pci_access *access, void *raw) {
  (void)access;
  struct read_context *context = raw;
  context->readable = pci_read_block(context->device, (int)context->offset,
                                     context->buffer, (int)context->length) != 0;
}

int cpci_read_block(cpci_handle *handle, size_t index, uint32_t offset,
                    uint8_t *buffer, uint32_t length, int *readable) {
  struct read_context context = {NULL, offset, buffer, length, 0};
  int status = device_at(handle, index, &context.device);
  if (status != CPCI_OK)
    return status;
  if (!buffer || !readable || length == 0 || offset > 4096 || length > 4096 - offset)
    return CPCI_E_INVALID;
  status = run_guarded(handle, handle->access, read_body, &context);
  *readable = status == CPCI_OK && context.readable;
  return status;
}

/* ---- names ---------------------------------------------------------------- */

struct lookup_context {
  int flags;
  int ids[4];
  char *buffer;
  size_t size;
  int found;
};

static void lookup_body(struct pci_access *access, void *raw) {
  struct lookup_context *context = raw;
  int flags = context->flags | PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB;
  const int *id = context->ids;
  /* pci_lookup_name is variadic: pass exactly the arguments each kind takes. */
  char *name;
  if (flags & PCI_LOOKUP_SUBSYSTEM)
    name = pci_lookup_name(access, context->buffer, (int)context->size, flags, id[0], id[1], id[2], id[3]);
  else if (flags & PCI_LOOKUP_DEVICE)
    name = pci_lookup_name(access, context->buffer, (int)context->size, flags, id[0], id[1]);
  else
    name = pci_lookup_name(access, context->buffer, (int)context->size, flags, id[0]);
  context->found = name != NULL;
  if (name && name != context->buffer) /* libpci may return its own storage */
    snprintf(context->buffer, context->size, "%s", name);
}

static int lookup(cpci_handle *handle, int flags, int id0, int id1, int id2, int id3,
                  char *buffer, size_t size, int *found) {
  int status = usable(handle);
  if (status != CPCI_OK)
    return status;
  if (!buffer || size == 0 || size > 65536 || !found)
    return CPCI_E_INVALID;
  buffer[0] = 0;
  *found = 0;
  struct lookup_context context = {flags, {id0, id1, id2, id3}, buffer, size, 0};
  status = run_guarded(handle, handle->access, lookup_body, &context);
  if (status == CPCI_OK)
    *found = context.found;
  if (!*found)
    buffer[0] = 0;
  return status;
}

int cpci_lookup_vendor(cpci_handle *handle, uint16_t vendor_id,
                       char *buffer, size_t size, int *found) {
  return lookup(handle, PCI_LOOKUP_VENDOR, vendor_id, 0, 0, 0, buffer, size, found);
}

int cpci_lookup_device(cpci_handle *handle, uint16_t vendor_id, uint16_t device_id,
                       char *buffer, size_t size, int *found) {
  return lookup(handle, PCI_LOOKUP_DEVICE, vendor_id, device_id, 0, 0, buffer, size, found);
}

int cpci_lookup_class(cpci_handle *handle, uint16_t device_class,
                      char *buffer, size_t size, int *found) {
  return lookup(handle, PCI_LOOKUP_CLASS, device_class, 0, 0, 0, buffer, size, found);
}

int cpci_lookup_subsystem(cpci_handle *handle, uint16_t vendor_id, uint16_t device_id,
                          uint16_t subsystem_vendor_id, uint16_t subsystem_id,
                          char *buffer, size_t size, int *found) {
  return lookup(handle, PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_DEVICE, vendor_id, device_id,
                subsystem_vendor_id, subsystem_id, buffer, size, found);
}
