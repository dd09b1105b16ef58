#ifndef BOARDPACK_COPENSSL_SHIM_H
#define BOARDPACK_COPENSSL_SHIM_H
/* Only SHA-256, for the manifest's file digests, and releasing a thread's libcrypto state. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#endif
