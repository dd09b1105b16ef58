#ifndef BOARDPACK_CPLATFORM_H
#define BOARDPACK_CPLATFORM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0, or -1 with errno set (ENOSYS or EINVAL where unsupported).
int boardpack_exchange_paths(const char *a, const char *b);

#endif
