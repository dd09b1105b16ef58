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

#endif
