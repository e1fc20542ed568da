/*
 * glove.h — the C interface of libglove.
 *
 * libglove min-hashes words into buckets so rare and unseen words share
 * embedding rows, counts co-occurrences, trains GloVe embeddings and scores
 * users against items with bilinear models.  This header is the whole public
 * C contract; everything not declared here is private.
 *
 * Conventions
 * - Every fallible function returns a glove_status: GLOVE_OK (0) on success,
 *   a negative GLOVE_E_* value on failure.  On failure, out-parameters are set
 *   to NULL or 0 and glove_last_error_message() describes what went wrong.
 *   Objects passed to a failing call are left as they were.
 * - Every glove_X_create has exactly one glove_X_free, which accepts NULL.
 * - Parameter structs start with `struct_size`; obtain one from
 *   glove_X_default_params(), change the fields you need, pass its address.
 *   A NULL params pointer means the defaults.  Fields are only ever appended.
 * - Strings are byte strings with an explicit length (NUL is an ordinary
 *   byte) unless a function says otherwise.  Text is expected in UTF-8.
 *
 * Thread safety
 * - Functions that take a `const` handle may be called from any number of
 *   threads at once on the same handle.  Functions that take a non-const
 *   handle need exclusive access to it.  Different handles are independent.
 * - glove_last_error_message() is per thread.
 */
#ifndef GLOVE_H
#define GLOVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Versions                                                            */
/* ------------------------------------------------------------------ */

#define GLOVE_VERSION_MAJOR 0
#define GLOVE_VERSION_MINOR 1
#define GLOVE_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH. */
#define GLOVE_VERSION_NUMBER \
    (GLOVE_VERSION_MAJOR * 10000 + GLOVE_VERSION_MINOR * 100 + GLOVE_VERSION_PATCH)
#define GLOVE_VERSION_STRING "0.1.0"
/** ABI version; the shared library's soname is libglove.so.<GLOVE_ABI_VERSION>. */
#define GLOVE_ABI_VERSION 1

/** Run-time library version as GLOVE_VERSION_NUMBER; compare it with the header's. */
int32_t glove_version_number(void);

/** Run-time version string ("MAJOR.MINOR.PATCH"); static, never NULL. */
const char *glove_version_string(void);

/** Run-time ABI version; a library whose value differs from GLOVE_ABI_VERSION is incompatible. */
int32_t glove_abi_version(void);

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/** Result of a fallible call: GLOVE_OK or a negative GLOVE_E_* value (pinned, never reused). */
typedef int32_t glove_status;

#define GLOVE_OK                    0
#define GLOVE_E_INVALID_ARGUMENT  (-1) /**< NULL pointer, value out of range, bad struct_size */
#define GLOVE_E_NOMEM             (-2) /**< a size would exceed what can be allocated */
#define GLOVE_E_IO                (-3) /**< a file could not be read or written */
#define GLOVE_E_FORMAT            (-4) /**< a file or buffer is malformed or corrupt */
#define GLOVE_E_CANCELLED         (-5) /**< a callback asked to stop */
#define GLOVE_E_NUMERIC           (-6) /**< NaN or infinity appeared in inputs or results */
#define GLOVE_E_BUFFER_TOO_SMALL  (-7) /**< a caller-provided buffer has too little capacity */

/**
 * Short static description of a status ("invalid argument", …); never NULL.
 * Unknown values give "unknown status".  Thread-safe.
 */
const char *glove_status_string(glove_status status);

/**
 * Message of the last failing call on the calling thread, e.g.
 * "glove_minhash_create: num_buckets must be 65536 for the compat scheme (got 10)".
 * Never NULL ("" when nothing failed yet).  Valid until the next failing call
 * on the same thread; copy it to keep it.
 */
const char *glove_last_error_message(void);

/* ------------------------------------------------------------------ */
/* Min-hash                                                            */
/* ------------------------------------------------------------------ */

/*
 * A word is min-hashed by cutting its UTF-8 bytes into 4-byte windows,
 * hashing each window and keeping the minimum, which is mapped to a bucket.
 * Words spelt alike land in the same bucket more often than chance, so rare
 * and unseen words can share a trained embedding row.
 *
 * GLOVE_MINHASH_COMPAT (default) reproduces the reference pipeline bit for bit:
 *   n = number of Unicode scalars of the word (invalid UTF-8: each maximal
 *   invalid subsequence counts as one scalar, as Python's
 *   bytes.decode("utf-8", "replace") does);
 *   n <= 4: bucket = crc32(bytes) & 0xFFFF;
 *   else:   m = min(10, n); bucket = min over byte offsets i in [0, m-4) of
 *           crc32(bytes[i .. i+4)) & 0xFFFF.
 *   crc32 is the IEEE/zlib CRC-32.  Always 65536 buckets.  The empty word
 *   hashes to crc32("") = 0, bucket 0.
 *
 * GLOVE_MINHASH_FULL: every 4-byte window at every byte offset
 *   (length-3 windows) is hashed with MurmurHash3_x86_32 and the given seed;
 *   words shorter than 4 bytes are hashed whole (the empty word included);
 *   bucket = minimum % num_buckets.
 *
 * Signatures (both schemes) list k = num_hashes minima: entry j is the
 * minimum over the full scheme's windows of MurmurHash3_x86_32 with seed
 * (seed + j) mod 2^32.  The Jaccard estimate of two words is the fraction of
 * equal entries in their signatures.
 */

/** Compatible with the reference pipeline (crc32, first windows only, 65536 buckets). */
#define GLOVE_MINHASH_COMPAT 0
/** Every window, MurmurHash3_x86_32 with a seed, any number of buckets. */
#define GLOVE_MINHASH_FULL 1

/** Min-hash configuration. */
typedef struct glove_minhash_params {
    uint32_t struct_size; /**< sizeof(glove_minhash_params) */
    int32_t scheme;       /**< GLOVE_MINHASH_COMPAT (default) or GLOVE_MINHASH_FULL */
    uint32_t num_buckets; /**< default 65536; compat: exactly 65536; full: 1 .. 4294967295 */
    uint32_t seed;        /**< Murmur3 seed of the full scheme and of signatures; default 0 */
    uint32_t num_hashes;  /**< signature length k; default 64; 1 .. 65536 */
} glove_minhash_params;

/** An immutable min-hasher: safe to share between threads. */
typedef struct glove_minhash glove_minhash;

/** Default parameters: compat scheme, 65536 buckets, seed 0, 64 hashes.  Thread-safe. */
glove_minhash_params glove_minhash_default_params(void);

/**
 * Creates a min-hasher.
 * @param params       configuration, or NULL for the defaults
 * @param out_minhash  receives the new handle (NULL on failure); free it with glove_minhash_free
 */
glove_status glove_minhash_create(const glove_minhash_params *params, glove_minhash **out_minhash);

/** Frees a min-hasher; NULL is ignored.  The handle must not be in use by another thread. */
void glove_minhash_free(glove_minhash *minhash);

/**
 * Reads back the parameters a min-hasher was created with.
 * @param out_params receives them (struct_size set to the library's size)
 */
glove_status glove_minhash_get_params(const glove_minhash *minhash, glove_minhash_params *out_params);

/**
 * Bucket of one word.
 * @param word        the word's bytes (may be NULL when length is 0)
 * @param length      number of bytes
 * @param out_bucket  receives the bucket, in [0, num_buckets)
 */
glove_status glove_minhash_bucket(const glove_minhash *minhash, const char *word, size_t length,
                                  uint32_t *out_bucket);

/**
 * Buckets of many words.
 * @param words        count pointers to the words' bytes
 * @param lengths      count byte lengths, or NULL when every word is NUL-terminated
 * @param count        number of words (0 is allowed)
 * @param out_buckets  caller-owned array of count entries
 */
glove_status glove_minhash_buckets(const glove_minhash *minhash, const char *const *words,
                                   const size_t *lengths, size_t count, uint32_t *out_buckets);

/**
 * Buckets of the fields of a delimited buffer, e.g. "alpha\nbeta\ngamma".
 * A buffer with d delimiters has d + 1 fields; a trailing delimiter makes an
 * empty last field, and an empty buffer is one empty field.
 * @param data         the bytes (may be NULL when length is 0)
 * @param length       number of bytes
 * @param delimiter    the separator byte, e.g. '\n'
 * @param out_buckets  caller-owned array of capacity entries
 * @param capacity     its capacity; GLOVE_E_BUFFER_TOO_SMALL when the fields do not fit
 * @param out_written  receives the number of fields hashed
 */
glove_status glove_minhash_buckets_delimited(const glove_minhash *minhash, const char *data, size_t length,
                                             char delimiter, uint32_t *out_buckets, size_t capacity,
                                             size_t *out_written);

/**
 * Min-hash signature of one word: num_hashes raw 32-bit minima (see above).
 * @param out_signature  caller-owned array of capacity entries
 * @param capacity       at least num_hashes, else GLOVE_E_BUFFER_TOO_SMALL
 */
glove_status glove_minhash_signature(const glove_minhash *minhash, const char *word, size_t length,
                                     uint32_t *out_signature, size_t capacity);

/**
 * Jaccard similarity estimate of two words' 4-byte window sets: the fraction
 * of equal signature entries, in [0, 1].
 * @param out_estimate receives the estimate
 */
glove_status glove_minhash_jaccard(const glove_minhash *minhash, const char *word_a, size_t length_a,
                                   const char *word_b, size_t length_b, double *out_estimate);

#ifdef __cplusplus
}
#endif

#endif /* GLOVE_H */
