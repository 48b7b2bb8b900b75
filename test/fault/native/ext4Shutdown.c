/*
 * Simulates a power cut on an ext4 file system: EXT4_IOC_SHUTDOWN with EXT4_GOING_FLAGS_NOLOGFLUSH marks
 * it shut down without writing back dirty pages or committing the running journal transaction. What had
 * reached the block device survives the next mount; whatever was only in the page cache is lost.
 *
 *   ext4Shutdown <mount point>      exit 0 once shut down; 1 with the reason on stderr
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef EXT4_IOC_SHUTDOWN
#define EXT4_IOC_SHUTDOWN _IOR('X', 125, __u32)
#endif
#define EXT4_GOING_FLAGS_NOLOGFLUSH 0x2

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <mount point>\n", argv[0]);
    return 1;
  }
  int fd = open(argv[1], O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    fprintf(stderr, "cannot open %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  __u32 flags = EXT4_GOING_FLAGS_NOLOGFLUSH;
  if (ioctl(fd, EXT4_IOC_SHUTDOWN, &flags) != 0) {
    fprintf(stderr, "EXT4_IOC_SHUTDOWN on %s failed: %s\n", argv[1], strerror(errno));
    close(fd);
    return 1;
  }
  close(fd);
  return 0;
}
