#ifndef BOARDPACK_CPLATFORM_H
#define BOARDPACK_CPLATFORM_H

#include <stddef.h>

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0, or -1 with errno set (ENOSYS or EINVAL where unsupported).
int boardpack_exchange_paths(const char *a, const char *b);

/// Creates or truncates `path` (mode 0644) and writes `length` bytes to it, without syncing.
/// Returns 0, or an errno value.
int boardpack_write_file(const char *path, const unsigned char *bytes, size_t length);

/// Flushes every written file of the filesystem holding `path` to disk in one go (syncfs),
/// which is far cheaper than one fsync per file. Returns 0, or an errno value.
int boardpack_sync_filesystem(const char *path);

/// Opens `path` for reading. Returns the descriptor, or -1 with errno set.
int boardpack_open_read(const char *path);

/// Reads up to `capacity` bytes of the open file `fd`, from byte `offset` of the file, into
/// `base[at]` onwards, retrying short reads until `capacity` bytes or the end of the file: one
/// system call per chunk, however large. Returns the count read (0 at the end), or -1 with errno set.
long boardpack_read_at(int fd, unsigned char *base, size_t at, size_t capacity, long offset);

/// The size of the file at `path` in bytes (following symbolic links), or -1 with errno set.
long long boardpack_file_size(const char *path);

/// What a path is, and the facts that tell whether a file changed: `kind` is 0 missing, 1 regular,
/// 2 directory, 3 symbolic link (lstat only), 4 FIFO, 5 character or block device, 6 socket, 7 other.
typedef struct {
    int kind;
    long long size;
    long long device;
    long long inode;
    long long modified_ns;
    long long changed_ns;
} boardpack_file_info;

/// Facts about `path`; with `follow` 0, a symbolic link is described itself (lstat). Returns 0, or
/// an errno value (ENOENT gives kind 0).
int boardpack_file_info_at(const char *path, int follow, boardpack_file_info *info);

/// Opens `path` for reading only when it is a regular file, without ever blocking on a FIFO or a
/// device (the open is non-blocking; the kind is checked on the open descriptor). Returns the
/// descriptor, or -1 with errno set (EISDIR for a folder, EINVAL for any other kind). `info`, when
/// not NULL, receives the open file's facts.
int boardpack_open_regular(const char *path, boardpack_file_info *info);

/// The CRC-32 (ZIP's checksum) of `length` bytes continued from `crc` (0 to start), by zlib.
unsigned int boardpack_crc32(unsigned int crc, const unsigned char *bytes, size_t length);

/// Starts `path` with `argv` (NULL-terminated) in a process group of its own, standard input
/// /dev/null and standard output and error into `output_path` (made 0600), with default signal
/// handling. Returns 0 with the child's id in `pid_out` (also its group's id), or an errno value.
int boardpack_spawn_group(const char *path, char *const argv[], const char *output_path, int *pid_out);

/// Waits up to `timeout_ms` for the child `pid` to end. Returns 0 with its exit status (128 + N
/// for a signal) in `exit_status`, 1 when the time ran out (the child still runs), -1 on error.
int boardpack_wait_child(int pid, long timeout_ms, int *exit_status);

/// Sends SIGKILL to every process of the group `pid` leads (a child and whatever it started).
void boardpack_end_group(int pid);

/// Waits for the child `pid` to end (after it was killed), so that it leaves no zombie.
void boardpack_reap(int pid);

#endif
