#define _GNU_SOURCE
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <fcntl.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#define F(s, m) printf("%s.%s %zu %zu\n", #s, #m, offsetof(struct s, m), sizeof(((struct s *)0)->m))
int main(int argc, char **argv) {
  printf("stat.size %zu\nstatx.size %zu\nstatfs.size %zu\ntermios.size %zu\nwinsize.size %zu\nflock.size %zu\n",
    sizeof(struct stat), sizeof(struct statx), sizeof(struct statfs), sizeof(struct termios), sizeof(struct winsize), sizeof(struct flock));
  F(stat, st_dev); F(stat, st_ino); F(stat, st_mode); F(stat, st_nlink); F(stat, st_uid); F(stat, st_gid);
  F(stat, st_rdev); F(stat, st_size); F(stat, st_blksize); F(stat, st_blocks);
  F(stat, st_atim.tv_sec); F(stat, st_atim.tv_nsec); F(stat, st_mtim.tv_sec); F(stat, st_mtim.tv_nsec);
  F(stat, st_ctim.tv_sec); F(stat, st_ctim.tv_nsec);
  F(statx, stx_mask); F(statx, stx_blksize); F(statx, stx_attributes); F(statx, stx_nlink); F(statx, stx_uid);
  F(statx, stx_gid); F(statx, stx_mode); F(statx, stx_ino); F(statx, stx_size); F(statx, stx_blocks);
  F(statx, stx_attributes_mask); F(statx, stx_atime); F(statx, stx_btime); F(statx, stx_ctime); F(statx, stx_mtime);
  F(statx, stx_rdev_major); F(statx, stx_rdev_minor); F(statx, stx_dev_major); F(statx, stx_dev_minor);
  F(statfs, f_type); F(statfs, f_bsize); F(statfs, f_blocks); F(statfs, f_bfree); F(statfs, f_bavail);
  F(statfs, f_files); F(statfs, f_ffree); F(statfs, f_fsid); F(statfs, f_namelen); F(statfs, f_frsize); F(statfs, f_flags);
  F(termios, c_iflag); F(termios, c_oflag); F(termios, c_cflag); F(termios, c_lflag); F(termios, c_line); F(termios, c_cc);
  F(winsize, ws_row); F(winsize, ws_col); F(winsize, ws_xpixel); F(winsize, ws_ypixel);
  F(flock, l_type); F(flock, l_whence); F(flock, l_start); F(flock, l_len); F(flock, l_pid);
  if (argc > 1) {
    struct stat st; if (stat(argv[1], &st)) return 1;
    unsigned char *p = (unsigned char *)&st;
    printf("bytes ");
    for (size_t i = 0; i < sizeof st; i++) printf("%02x", p[i]);
    printf("\n");
  }
  printf("TCGETS %#x TIOCGWINSZ %#x FIONREAD %#x O_DIRECTORY %#o O_TMPFILE %#o O_LARGEFILE %#o\n", TCGETS, TIOCGWINSZ, FIONREAD, O_DIRECTORY, O_TMPFILE, O_LARGEFILE);
  return 0;
}
