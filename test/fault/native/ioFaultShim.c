/*
 * An LD_PRELOAD shim that makes one write or sync fail, for the I/O-error fault tests (issue 9).
 *
 * It wraps write, pwrite, pwrite64, writev, pwritev, pwritev64, fsync and fdatasync: SQLite (better-sqlite3)
 * and Node's own file system calls (libuv, on the main thread and its pool threads) all go through them.
 * Only calls on regular files are counted, and with FAULT_UNDER only files under that folder (the path of
 * an fd comes from readlink /proc/self/fd/<fd>, cached per fd and checked against its device and inode).
 *
 *   FAULT_AT=N          the Nth counted call fails (without writing anything); unset: nothing fails
 *   FAULT_ERRNO=E       EIO (default) or ENOSPC
 *   FAULT_STICKY=1      every counted call from the Nth on fails (a disk that stays broken or full)
 *   FAULT_OPS=write|sync  count only writes or only syncs (default: both)
 *   FAULT_UNDER=/path   count only files under this folder
 *   FAULT_COUNT=/file   at exit, write {"calls":n,"writes":w,"syncs":s,"failed":[...]} there (the first
 *                       failed calls: number, function, path)
 *
 * The variables, LD_PRELOAD included, are removed from the environment at start, so that processes this
 * one starts run without the shim.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FDS 65536
#define MAX_FAILED_LOGGED 8

enum op_class { OP_WRITE = 1, OP_SYNC = 2 };

struct fd_entry {
  dev_t dev;
  ino_t ino;
  int known;
  int under;
};

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static ssize_t (*real_pwritev64)(int, const struct iovec *, int, off64_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

static long fault_at = 0;
static int fault_errno = EIO;
static int fault_sticky = 0;
static int counted_ops = OP_WRITE | OP_SYNC;
static char under[PATH_MAX];
static size_t under_len = 0;
static char count_file[PATH_MAX];

static long calls = 0, writes = 0, syncs = 0, failures = 0;
static struct fd_entry fds[MAX_FDS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char failed_log[MAX_FAILED_LOGGED][PATH_MAX + 64];

static void *next_symbol(const char *name) {
  void *symbol = dlsym(RTLD_NEXT, name);
  if (symbol == NULL) {
    fprintf(stderr, "ioFaultShim: no %s in libc\n", name);
    abort();
  }
  return symbol;
}

static void take_env(const char *name, char *into, size_t size) {
  const char *value = getenv(name);
  if (value != NULL && into != NULL) snprintf(into, size, "%s", value);
  unsetenv(name);
}

__attribute__((constructor)) static void init(void) {
  real_write = next_symbol("write");
  real_pwrite = next_symbol("pwrite");
  real_pwrite64 = next_symbol("pwrite64");
  real_writev = next_symbol("writev");
  real_pwritev = next_symbol("pwritev");
  real_pwritev64 = next_symbol("pwritev64");
  real_fsync = next_symbol("fsync");
  real_fdatasync = next_symbol("fdatasync");

  char value[64] = "";
  take_env("FAULT_AT", value, sizeof value);
  fault_at = value[0] == '\0' ? 0 : strtol(value, NULL, 10);
  value[0] = '\0';
  take_env("FAULT_ERRNO", value, sizeof value);
  if (strcmp(value, "ENOSPC") == 0) fault_errno = ENOSPC;
  value[0] = '\0';
  take_env("FAULT_STICKY", value, sizeof value);
  fault_sticky = strcmp(value, "1") == 0;
  value[0] = '\0';
  take_env("FAULT_OPS", value, sizeof value);
  if (strcmp(value, "write") == 0) counted_ops = OP_WRITE;
  if (strcmp(value, "sync") == 0) counted_ops = OP_SYNC;
  take_env("FAULT_UNDER", under, sizeof under);
  under_len = strlen(under);
  while (under_len > 1 && under[under_len - 1] == '/') under[--under_len] = '\0';
  take_env("FAULT_COUNT", count_file, sizeof count_file);
  take_env("LD_PRELOAD", NULL, 0);
}

/* Whether fd is a regular file (under FAULT_UNDER, if set); its path into `path` when it is. */
static int counted_fd(int fd, char *path, size_t size) {
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, size - 1);
  path[n < 0 ? 0 : n] = '\0';
  if (under_len == 0) return 1;
  if (fd >= MAX_FDS) return strncmp(path, under, under_len) == 0 && (path[under_len] == '/' || path[under_len] == '\0');
  pthread_mutex_lock(&lock);
  struct fd_entry *e = &fds[fd];
  if (!e->known || e->dev != st.st_dev || e->ino != st.st_ino) {
    e->known = 1;
    e->dev = st.st_dev;
    e->ino = st.st_ino;
    e->under = strncmp(path, under, under_len) == 0 && (path[under_len] == '/' || path[under_len] == '\0');
  }
  int result = e->under;
  pthread_mutex_unlock(&lock);
  return result;
}

/* Counts the call; 1 when it is the one (or, sticky, one of those) that must fail. */
static int should_fail(int fd, enum op_class op, const char *function) {
  char path[PATH_MAX];
  if (!(counted_ops & op) || !counted_fd(fd, path, sizeof path)) return 0;
  long n = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
  __atomic_add_fetch(op == OP_WRITE ? &writes : &syncs, 1, __ATOMIC_SEQ_CST);
  if (fault_at <= 0 || (fault_sticky ? n < fault_at : n != fault_at)) return 0;
  long k = __atomic_fetch_add(&failures, 1, __ATOMIC_SEQ_CST);
  if (k < MAX_FAILED_LOGGED) snprintf(failed_log[k], sizeof failed_log[k], "%ld %s %s", n, function, path);
  return 1;
}

#define FAIL_IF(fd, op, name)          \
  do {                                 \
    if (should_fail(fd, op, name)) {   \
      errno = fault_errno;             \
      return -1;                       \
    }                                  \
  } while (0)

ssize_t write(int fd, const void *buf, size_t count) {
  FAIL_IF(fd, OP_WRITE, "write");
  return real_write(fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
  FAIL_IF(fd, OP_WRITE, "pwrite");
  return real_pwrite(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
  FAIL_IF(fd, OP_WRITE, "pwrite64");
  return real_pwrite64(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
  FAIL_IF(fd, OP_WRITE, "writev");
  return real_writev(fd, iov, iovcnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset) {
  FAIL_IF(fd, OP_WRITE, "pwritev");
  return real_pwritev(fd, iov, iovcnt, offset);
}

ssize_t pwritev64(int fd, const struct iovec *iov, int iovcnt, off64_t offset) {
  FAIL_IF(fd, OP_WRITE, "pwritev64");
  return real_pwritev64(fd, iov, iovcnt, offset);
}

int fsync(int fd) {
  FAIL_IF(fd, OP_SYNC, "fsync");
  return real_fsync(fd);
}

int fdatasync(int fd) {
  FAIL_IF(fd, OP_SYNC, "fdatasync");
  return real_fdatasync(fd);
}

/* A JSON string of `text` into `out` (paths: only quotes and backslashes need escaping here). */
static void json_string(FILE *out, const char *text) {
  fputc('"', out);
  for (const char *c = text; *c != '\0'; c++) {
    if (*c == '"' || *c == '\\') fputc('\\', out);
    if ((unsigned char)*c >= 0x20) fputc(*c, out);
  }
  fputc('"', out);
}

__attribute__((destructor)) static void report(void) {
  if (count_file[0] == '\0') return;
  int fd = open(count_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  FILE *out = fdopen(fd, "w");
  if (out == NULL) return;
  fprintf(out, "{\"calls\":%ld,\"writes\":%ld,\"syncs\":%ld,\"failed\":[", calls, writes, syncs);
  long logged = failures < MAX_FAILED_LOGGED ? failures : MAX_FAILED_LOGGED;
  for (long i = 0; i < logged; i++) {
    if (i > 0) fputc(',', out);
    json_string(out, failed_log[i]);
  }
  fprintf(out, "],\"failures\":%ld}\n", failures);
  fclose(out);
}
