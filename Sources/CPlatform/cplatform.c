#define _GNU_SOURCE
#include "cplatform.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int boardpack_exchange_paths(const char *a, const char *b) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int boardpack_write_file(const char *path, const unsigned char *bytes, size_t length) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return errno;
    size_t done = 0;
    while (done < length) {
        ssize_t n = write(fd, bytes + done, length - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            int saved = errno;
            close(fd);
            return saved;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) return errno;
    return 0;
}

int boardpack_sync_filesystem(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    int result = syncfs(fd) == 0 ? 0 : errno;
    close(fd);
    return result;
}

int boardpack_open_read(const char *path) { return open(path, O_RDONLY | O_CLOEXEC); }

long boardpack_read_at(int fd, unsigned char *base, size_t at, size_t capacity, long offset) {
    size_t done = 0;
    while (done < capacity) {
        ssize_t n = pread(fd, base + at + done, capacity - done, (off_t)offset + (off_t)done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (n == 0) break;
        done += (size_t)n;
    }
    return (long)done;
}

long long boardpack_file_size(const char *path) {
    struct stat info;
    if (stat(path, &info) != 0) return -1;
    return (long long)info.st_size;
}
