#define _GNU_SOURCE
#include "cplatform.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zlib.h>

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

int boardpack_open_read(const char *path) { return boardpack_open_regular(path, NULL); }

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

static void boardpack_fill_info(const struct stat *st, boardpack_file_info *info) {
    if (S_ISREG(st->st_mode)) info->kind = 1;
    else if (S_ISDIR(st->st_mode)) info->kind = 2;
    else if (S_ISLNK(st->st_mode)) info->kind = 3;
    else if (S_ISFIFO(st->st_mode)) info->kind = 4;
    else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) info->kind = 5;
    else if (S_ISSOCK(st->st_mode)) info->kind = 6;
    else info->kind = 7;
    info->size = (long long)st->st_size;
    info->device = (long long)st->st_dev;
    info->inode = (long long)st->st_ino;
    info->modified_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
    info->changed_ns = (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
}

int boardpack_file_info_at(const char *path, int follow, boardpack_file_info *info) {
    struct stat st;
    int result = follow ? stat(path, &st) : lstat(path, &st);
    if (result != 0) {
        int saved = errno;
        info->kind = 0;
        info->size = info->device = info->inode = info->modified_ns = info->changed_ns = 0;
        return saved;
    }
    boardpack_fill_info(&st, info);
    return 0;
}

int boardpack_open_regular(const char *path, boardpack_file_info *info) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return -1;
    }
    /* Regular files ignore O_NONBLOCK; clear it all the same, so reads behave as usual. */
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    if (info) boardpack_fill_info(&st, info);
    return fd;
}

unsigned int boardpack_crc32(unsigned int crc, const unsigned char *bytes, size_t length) {
    uLong value = crc;
    while (length > 0) {
        uInt part = length > 0x40000000u ? 0x40000000u : (uInt)length;
        value = crc32(value, bytes, part);
        bytes += part;
        length -= part;
    }
    return (unsigned int)value;
}

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

int boardpack_spawn_group(const char *path, char *const argv[], const char *output_path, int *pid_out) {
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_t actions;
    int result = posix_spawnattr_init(&attributes);
    if (result != 0) return result;
    result = posix_spawn_file_actions_init(&actions);
    if (result != 0) {
        posix_spawnattr_destroy(&attributes);
        return result;
    }
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, output_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    /* Nothing else of this process reaches the child: no pipe of the caller is held open by it. */
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    pid_t pid = 0;
    result = posix_spawn(&pid, path, &actions, &attributes, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (result == 0) *pid_out = (int)pid;
    return result;
}

int boardpack_wait_child(int pid, long timeout_ms, int *exit_status) {
    struct timespec start, now, pause = {0, 5 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int status = 0;
        pid_t done = waitpid((pid_t)pid, &status, WNOHANG);
        if (done == (pid_t)pid) {
            *exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
            return 0;
        }
        if (done < 0 && errno != EINTR) return -1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (long)(now.tv_sec - start.tv_sec) * 1000L + (now.tv_nsec - start.tv_nsec) / 1000000L;
        if (elapsed >= timeout_ms) return 1;
        nanosleep(&pause, NULL);
    }
}

void boardpack_end_group(int pid) {
    if (pid > 0) kill(-(pid_t)pid, SIGKILL);
}

void boardpack_reap(int pid) {
    int status;
    while (waitpid((pid_t)pid, &status, 0) < 0 && errno == EINTR) {}
}
