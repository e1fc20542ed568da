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
 *   NUL-terminated strings (paths, words given to glove_vocab_create,
 *   glove_model_analogy's words) must be valid UTF-8: others are refused with
 *   GLOVE_E_INVALID_ARGUMENT, never silently altered.  Words with an explicit
 *   length, and words read from files, may be any bytes.
 * - Files are written atomically: an unnamed or temporary file in the
 *   destination's folder, synced, then renamed over the destination, which
 *   therefore holds the old file or the whole new one.  A destination that
 *   exists and is not a regular file (a device, a folder) is refused with
 *   GLOVE_E_IO.
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

/* ------------------------------------------------------------------ */
/* Vocabulary                                                          */
/* ------------------------------------------------------------------ */

/*
 * Tokenizing: GLOVE_MODE_TEXT splits on anything that is not a letter, mark
 * or number (Unicode categories L*, M*, N*) and lowercases; GLOVE_MODE_PRETOKENIZED
 * splits on whitespace only and keeps tokens as they are. A line is a
 * document. Invalid UTF-8 becomes U+FFFD (a separator in text mode). Tokens
 * longer than 1024 bytes are skipped.
 *
 * Ids: words are numbered by count, descending, ties broken by byte order.
 * An out-of-vocabulary word maps to its min-hash bucket id size + bucket
 * (GLOVE_OOV_BUCKET) or is left out (GLOVE_OOV_DROP).
 */

#define GLOVE_MODE_TEXT 0
#define GLOVE_MODE_PRETOKENIZED 1

#define GLOVE_OOV_BUCKET 0
#define GLOVE_OOV_DROP 1

/**
 * Progress of a counting call: called on the caller's thread after each
 * block of input with the bytes read so far. Return 0 to continue, non-zero
 * to stop (the call then fails with GLOVE_E_CANCELLED).
 */
typedef int32_t (*glove_count_progress)(uint64_t bytes_read, void *user_data);

/** Vocabulary counting options. */
typedef struct glove_vocab_params {
    uint32_t struct_size; /**< sizeof(glove_vocab_params) */
    uint32_t threads;     /**< worker threads, 0 .. 1024; default 0 = one per processor */
    uint64_t min_count;   /**< words seen fewer times are left out; default 5 */
    uint64_t max_size;    /**< keep at most this many words; default 0 = no limit */
    int32_t mode;         /**< GLOVE_MODE_TEXT (default) or GLOVE_MODE_PRETOKENIZED */
    int32_t reserved;     /**< must be 0 */
} glove_vocab_params;

/** An immutable vocabulary: safe to share between threads. */
typedef struct glove_vocab glove_vocab;

/** Default vocabulary options.  Thread-safe. */
glove_vocab_params glove_vocab_default_params(void);

/**
 * Counts the words of text files.
 * @param paths       path_count file paths ("-" is standard input)
 * @param params      options, or NULL for the defaults
 * @param minhash     gives out-of-vocabulary words their buckets; NULL for the compat scheme.
 *                    The vocabulary copies what it needs: the handle may be freed afterwards.
 * @param progress    optional progress callback (may be NULL), with user_data
 * @param out_vocab   receives the vocabulary; free it with glove_vocab_free
 */
glove_status glove_vocab_build(const char *const *paths, size_t path_count, const glove_vocab_params *params,
                               const glove_minhash *minhash, glove_count_progress progress, void *user_data,
                               glove_vocab **out_vocab);

/**
 * Creates a vocabulary from words in id order.
 * @param words    count NUL-terminated UTF-8 words, distinct, non-empty, without line breaks, at most 1024 bytes
 * @param counts   count corpus counts
 * @param minhash  as for glove_vocab_build (NULL: compat)
 */
glove_status glove_vocab_create(const char *const *words, const uint64_t *counts, size_t count,
                                const glove_minhash *minhash, glove_vocab **out_vocab);

/**
 * Reads a Stanford vocab.txt file ("word count" per line, ids in file order; a word is the
 * bytes before the line's last space, whatever they are).
 */
glove_status glove_vocab_load(const char *path, const glove_minhash *minhash, glove_vocab **out_vocab);

/** Writes a Stanford vocab.txt file atomically (temporary file, then rename). */
glove_status glove_vocab_save(const glove_vocab *vocab, const char *path);

/** Frees a vocabulary; NULL is ignored. */
void glove_vocab_free(glove_vocab *vocab);

/**
 * Sizes of a vocabulary.
 * @param out_size      receives the number of words V (may be NULL)
 * @param out_id_space  receives V + the number of min-hash buckets (may be NULL)
 */
glove_status glove_vocab_size(const glove_vocab *vocab, size_t *out_size, size_t *out_id_space);

/**
 * The word with a given id.
 * @param out_word    receives a NUL-terminated UTF-8 string owned by the vocabulary (valid until it is freed)
 * @param out_length  receives its length in bytes (may be NULL)
 * @param out_count   receives its corpus count (may be NULL)
 */
glove_status glove_vocab_word(const glove_vocab *vocab, size_t id, const char **out_word, size_t *out_length,
                              uint64_t *out_count);

/**
 * The id of any word.
 * @param oov                GLOVE_OOV_BUCKET or GLOVE_OOV_DROP
 * @param out_id             receives the word's id, its bucket's id, or -1 when dropped (also -1 on failure)
 * @param out_in_vocabulary  receives 1 for a vocabulary word, 0 otherwise (may be NULL)
 */
glove_status glove_vocab_lookup(const glove_vocab *vocab, const char *word, size_t length, int32_t oov,
                                int64_t *out_id, int32_t *out_in_vocabulary);

/* ------------------------------------------------------------------ */
/* Co-occurrence                                                       */
/* ------------------------------------------------------------------ */

/*
 * For every pair of token positions p < q of a document with q - p <= window,
 * weight 1/(q - p) (GLOVE_WEIGHTING_HARMONIC) or 1 (GLOVE_WEIGHTING_UNIFORM)
 * is added to both (id(p), id(q)) and (id(q), id(p)); a word next to itself
 * adds twice to the diagonal. Weights are summed in fixed point (units of
 * 2^-32), so results are identical for any number of threads and with or
 * without spilling; each 1/d is exact to within 2^-33.
 */

#define GLOVE_WEIGHTING_HARMONIC 0
#define GLOVE_WEIGHTING_UNIFORM 1

/** Stanford GloVe's cooccurrence.bin: int32 i, int32 j, float64 x records, ids from 1. */
#define GLOVE_FORMAT_STANFORD 0
/** libglove's compact format: versioned header, upper triangle, checksum. */
#define GLOVE_FORMAT_NATIVE 1

/** Co-occurrence counting options. */
typedef struct glove_cooc_params {
    uint32_t struct_size;     /**< sizeof(glove_cooc_params) */
    uint32_t window;          /**< default 10; 1 .. 16383 */
    int32_t weighting;        /**< GLOVE_WEIGHTING_HARMONIC (default) or GLOVE_WEIGHTING_UNIFORM */
    int32_t oov;              /**< GLOVE_OOV_DROP (default) or GLOVE_OOV_BUCKET */
    int32_t mode;             /**< GLOVE_MODE_TEXT (default) or GLOVE_MODE_PRETOKENIZED */
    uint32_t threads;         /**< worker threads, 0 .. 1024; default 0 = one per processor */
    uint64_t memory_limit;    /**< bytes for counting tables; default 160 MiB; at least 1 MiB; beyond it runs spill */
    int32_t cross_lines;      /**< 1: windows run across line ends (one thread); default 0 */
    float subsample;          /**< frequent-word subsampling threshold t (word2vec's sample) in [0, 1); default 0 = off.
                                   Each occurrence of a word of frequency f (its vocabulary count over the total) is
                                   kept with probability min(1, (sqrt(f/t) + 1) t/f) before windowing; 1e-3 .. 1e-5
                                   are usual. The draw hashes the document's ids so far: the same for any thread
                                   count. (This was a reserved int32 that had to be 0: 0.0f has the same bits.) */
    const char *temp_dir;     /**< folder for spill files; default NULL = $TMPDIR or /tmp */
} glove_cooc_params;

/** An immutable sparse co-occurrence matrix: safe to share between threads. */
typedef struct glove_cooc glove_cooc;

/** Default co-occurrence options.  Thread-safe. */
glove_cooc_params glove_cooc_default_params(void);

/**
 * Counts the co-occurrences of text files.
 * @param vocab     gives ids (and buckets with GLOVE_OOV_BUCKET); the dimension is V, or V + buckets
 * @param progress  optional progress callback (may be NULL), with user_data
 * @param out_cooc  receives the matrix; free it with glove_cooc_free
 */
glove_status glove_cooc_count_files(const glove_vocab *vocab, const char *const *paths, size_t path_count,
                                    const glove_cooc_params *params, glove_count_progress progress, void *user_data,
                                    glove_cooc **out_cooc);

/**
 * Builds the vocabulary of text files and counts their co-occurrences, reading
 * and tokenizing the text once: the same vocabulary and matrix as
 * glove_vocab_build followed by glove_cooc_count_files, for less work.
 * @param vocab_params  min_count and max_size, or NULL for the defaults (then the mode is params->mode);
 *                      its mode must equal params->mode, and its threads field is not used
 *                      (params->threads is)
 * @param minhash       as for glove_vocab_build (NULL: compat)
 * @param params        co-occurrence options, or NULL for the defaults
 * @param progress      optional progress callback (may be NULL) with user_data: bytes read, once per
 *                      block; the counting of pairs after the read is not reported
 * @param out_vocab     receives the vocabulary; free it with glove_vocab_free
 * @param out_cooc      receives the matrix; free it with glove_cooc_free. Both stay NULL on failure.
 */
glove_status glove_cooc_count_corpus(const char *const *paths, size_t path_count, const glove_vocab_params *vocab_params,
                                     const glove_minhash *minhash, const glove_cooc_params *params,
                                     glove_count_progress progress, void *user_data, glove_vocab **out_vocab,
                                     glove_cooc **out_cooc);

/**
 * Counts the co-occurrences of documents already turned into ids (e.g. by a
 * Spark executor). The vocabulary, mode and oov fields of params are not used.
 * @param ids        count ids in [0, dimension); a negative value ends a document
 * @param dimension  the matrix dimension, at most 16777216
 */
glove_status glove_cooc_count_ids(const int32_t *ids, size_t count, size_t dimension,
                                  const glove_cooc_params *params, glove_cooc **out_cooc);

/** Layouts for glove_cooc_from_triples. */
#define GLOVE_LAYOUT_SYMMETRIC 0 /**< each triple stands for (i, j) and (j, i), like a counted matrix's upper triangle */
#define GLOVE_LAYOUT_FULL 1      /**< every nonzero entry is given, like a Stanford file */

/**
 * A matrix from (row, column, value) triples in any order, e.g. counts merged
 * by another host; triples at one position are summed in the order given.
 * With GLOVE_LAYOUT_SYMMETRIC give each pair once, in either order: the matrix
 * is then laid out like a counted one (glove_cooc_merge accepts both). With
 * GLOVE_LAYOUT_FULL give every nonzero entry.
 * @param dimension  ids are below it, at most 16777216; 0 means the largest id + 1
 * @return GLOVE_E_INVALID_ARGUMENT for an id out of range, a value that is not positive and finite,
 *         or values at one position that sum past the largest double
 */
glove_status glove_cooc_from_triples(const uint32_t *rows, const uint32_t *columns, const double *values, size_t count,
                                     size_t dimension, int32_t layout, glove_cooc **out_cooc);

/** The sum of two matrices (the larger dimension); neither input changes. GLOVE_E_INVALID_ARGUMENT
 *  when the layouts differ or an entry's sum is past the largest double. */
glove_status glove_cooc_merge(const glove_cooc *a, const glove_cooc *b, glove_cooc **out_cooc);

/**
 * Sizes of a matrix.
 * @param out_dimension  receives the dimension (may be NULL)
 * @param out_nnz        receives the number of nonzero entries of the whole matrix (may be NULL)
 */
glove_status glove_cooc_size(const glove_cooc *cooc, uint64_t *out_dimension, uint64_t *out_nnz);

/**
 * Copies every nonzero entry (both triangles) into caller-owned arrays, in
 * row-major order of the stored triangle with (j, i) right after (i, j).
 * @param capacity     entries the arrays can hold; GLOVE_E_BUFFER_TOO_SMALL below nnz
 * @param out_written  receives the number of entries written
 */
glove_status glove_cooc_triples(const glove_cooc *cooc, uint32_t *rows, uint32_t *columns, double *values,
                                size_t capacity, size_t *out_written);

/** Writes a matrix atomically in GLOVE_FORMAT_STANFORD or GLOVE_FORMAT_NATIVE. */
glove_status glove_cooc_save(const glove_cooc *cooc, const char *path, int32_t format);

/**
 * Reads a matrix, validating sizes against the file before allocating; a
 * value that is not positive and finite is GLOVE_E_FORMAT.
 * @param dimension  for Stanford files: the dimension, or 0 for the largest id
 */
glove_status glove_cooc_load(const char *path, int32_t format, size_t dimension, glove_cooc **out_cooc);

/** Frees a matrix; NULL is ignored. */
void glove_cooc_free(glove_cooc *cooc);

/**
 * Shuffles a Stanford co-occurrence file into a uniformly random order that
 * depends only on seed; memory-bounded (chunks spill to temporary files).
 * @param memory_limit  bytes of records in memory, at least 1 MiB
 * @param temp_dir      folder for temporary files, or NULL
 */
glove_status glove_cooc_shuffle_file(const char *input, const char *output, uint64_t seed, uint64_t memory_limit,
                                     const char *temp_dir);

/* ------------------------------------------------------------------ */
/* Training and models                                                 */
/* ------------------------------------------------------------------ */

/*
 * GLOVE_OBJECTIVE_SEED (default), the reference pipeline's model: one table
 *   and one bias per id; predicted = x_i.x_j + b_i + b_j; target log10(1 + X);
 *   weight min(1, X/100)^0.75; loss = batch mean of weight * (predicted - target)^2;
 *   each unordered pair is trained once; vectors start as Flax's nn.Embed
 *   (normal truncated at +-2 sigma, variance 1/dim), biases at zero.
 * GLOVE_OBJECTIVE_PAPER, Pennington et al. (2014) as Stanford GloVe trains it:
 *   word and context tables W, W~ with biases; target ln X; weight
 *   min(1, X/x_max)^alpha; saved vectors W + W~ (or W only); vectors start
 *   uniform in +-0.5/dim as Stanford's do; biases start at zero.
 * Optimizers update only the rows of a batch (lazily): AdaGrad as Stanford's
 * glove.c computes it (sums start at 1; the rate applies to vectors, not
 * biases), Adam (b1 0.9, b2 0.999, eps 1e-8; each row counts its own steps for
 * bias correction), SGD with momentum 0.9. With batches of 8,192 entries or
 * more and no subword_hashes, the threads train each batch together (each
 * computes part of it and steps its own rows); otherwise they update shared
 * tables without locks (Hogwild). A seed gives bit-identical results with
 * threads = 1, and with a fixed thread count (not 0) for batches of 8,192 or
 * more without subword_hashes.
 */

#define GLOVE_OBJECTIVE_SEED 0
#define GLOVE_OBJECTIVE_PAPER 1

#define GLOVE_OPTIMIZER_DEFAULT (-1) /**< Adam for seed, AdaGrad for paper */
#define GLOVE_OPTIMIZER_ADAGRAD 0
#define GLOVE_OPTIMIZER_ADAM 1
#define GLOVE_OPTIMIZER_SGD 2

#define GLOVE_SCHEDULE_CONSTANT 0
#define GLOVE_SCHEDULE_LINEAR 1

/** Training options. */
typedef struct glove_train_params {
    uint32_t struct_size;        /**< sizeof(glove_train_params) */
    int32_t objective;           /**< GLOVE_OBJECTIVE_SEED (default) or GLOVE_OBJECTIVE_PAPER */
    uint32_t dim;                /**< vector dimension; default 50; 1 .. 4096 */
    uint32_t epochs;             /**< default 15 */
    int32_t optimizer;           /**< GLOVE_OPTIMIZER_*; default GLOVE_OPTIMIZER_DEFAULT */
    float learning_rate;         /**< default 0 = 0.01 for Adam, 0.05 otherwise (0.1 / k with k > 2 subword_hashes) */
    uint32_t batch_size;         /**< entries per update; default 0 = 65536 for Adam, 1 otherwise */
    int32_t schedule;            /**< GLOVE_SCHEDULE_CONSTANT (default) or GLOVE_SCHEDULE_LINEAR */
    float x_max;                 /**< weighting cap (paper); default 100 */
    float alpha;                 /**< weighting exponent; default 0.75 */
    uint32_t threads;            /**< 0 .. 1024; default 0 = one per processor; 1 = deterministic (see above) */
    int32_t sum_word_context;    /**< paper: 1 saves W + W~ (default), 0 saves W */
    uint64_t seed;               /**< random seed; default 1 */
    /* Added after the first release of ABI 1; a struct_size of 56 bytes (without them) is still accepted: */
    uint32_t subword_hashes;     /**< spelling-aware vectors: 0 (default) off; 1 .. 16 sums each word's own row and
                                      the rows of its k full-scheme min-hash buckets (seeds 0 .. k-1), trained jointly;
                                      out-of-vocabulary words then get the sum of their buckets' rows.
                                      Needs a matrix counted with out-of-vocabulary tokens dropped. */
    uint32_t subword_buckets;    /**< bucket rows for subword_hashes; default 131072; 1 .. 16777216 */
} glove_train_params;

/**
 * Training progress: called on the caller's thread after each epoch.
 * Return 0 to continue, non-zero to stop: training then ends after that
 * epoch and the call succeeds with the model trained so far.
 */
typedef int32_t (*glove_train_progress)(uint32_t epoch, uint64_t step, double loss, double entries_per_second,
                                        void *user_data);

/** Trained vectors with their vocabulary: immutable, and safe to query from many threads at once. */
typedef struct glove_model glove_model;

/**
 * Default training options.  Thread-safe.
 * glove_train_params grew two fields after the first release of ABI 1, and
 * this function returns it by value, so it has a new symbol; the macro below
 * maps the old name to it. Programs that resolve symbols by name (dlsym)
 * must ask for "glove_train_default_params_v2".
 */
glove_train_params glove_train_default_params_v2(void);

/** The params struct as the first release of ABI 1 had it (56 bytes). */
typedef struct glove_train_params_v1 {
    uint32_t struct_size;
    int32_t objective;
    uint32_t dim;
    uint32_t epochs;
    int32_t optimizer;
    float learning_rate;
    uint32_t batch_size;
    int32_t schedule;
    float x_max;
    float alpha;
    uint32_t threads;
    int32_t sum_word_context;
    uint64_t seed;
} glove_train_params_v1;

/** The defaults in the first layout, for programs built against it (they call this symbol). */
glove_train_params_v1 glove_train_default_params(void);
#define glove_train_default_params glove_train_default_params_v2

/**
 * Trains a model.
 * @param cooc       the co-occurrences; its dimension is V (or V + buckets, which trains bucket rows)
 * @param vocab      the vocabulary the matrix was counted with
 * @param progress   optional per-epoch callback (may be NULL), with user_data
 * @param out_model  receives the model; free it with glove_model_free.
 * @return GLOVE_E_NUMERIC when the loss becomes NaN or infinite (try a lower learning rate);
 *         GLOVE_E_NOMEM when the parameters and optimizer state would exceed the memory this process may use (physical memory, or ulimit -v).
 */
glove_status glove_model_train(const glove_cooc *cooc, const glove_vocab *vocab, const glove_train_params *params,
                               glove_train_progress progress, void *user_data, glove_model **out_model);

/**
 * Trains like glove_model_train, keeping a checkpoint (parameters, optimizer
 * state, loss history) at checkpoint_path, written atomically every
 * checkpoint_every epochs, when the callback stops training, when the loss
 * becomes NaN (after the roll-back) and at the end. When checkpoint_path
 * already holds a checkpoint of the same matrix and options (threads may
 * differ), training resumes from it and runs the rest of params->epochs:
 * calling again after a stop or a crash finishes the job, and with threads = 1
 * the model is bit-identical to an uninterrupted run. The checkpoint is left
 * in place; delete it when done.
 * @param checkpoint_every  epochs between checkpoints, at least 1
 * @return GLOVE_E_FORMAT for a corrupt checkpoint; GLOVE_E_INVALID_ARGUMENT
 *         for a checkpoint of other data or options (the message names the setting).
 */
glove_status glove_model_train_resumable(const glove_cooc *cooc, const glove_vocab *vocab,
                                         const glove_train_params *params, const char *checkpoint_path,
                                         uint32_t checkpoint_every, glove_train_progress progress, void *user_data,
                                         glove_model **out_model);

/**
 * Trains on a co-occurrence file without holding its matrix or its entries
 * in memory: the entries are shuffled once into a temporary file (in chunks
 * of memory_limit bytes); each epoch, each thread reads the 64 KiB pieces of
 * its share in a fresh random order into blocks of about 1 MiB, which it
 * shuffles; the last epoch's parameters, kept for a
 * roll-back, go to a temporary file too. Memory is then about the parameters
 * and optimizer state (plus, for mini-batches, the gradient sums of the rows
 * a batch touches: once for batches of 8,192 or more, which the threads train
 * together, per thread below). Results differ from glove_model_train's by the
 * order of the entries (and, for a Stanford file with repeated records, by not
 * summing them); they are bit-identical across runs with the same memory_limit
 * and threads = 1, or the same thread count (not 0) with batches of 8,192 or
 * more and no subword_hashes.
 * @param cooc_path        the co-occurrence file
 * @param format           GLOVE_FORMAT_NATIVE, or GLOVE_FORMAT_STANFORD (its records are
 *                         trained as they are, not summed; its ids must be within vocab)
 * @param memory_limit     bytes of entries held in memory while shuffling, at least 1 MiB; 0 = 16 MiB
 * @param temp_dir         folder for the temporary files, or NULL for $TMPDIR or /tmp
 * @param checkpoint_path  NULL, or a checkpoint as in glove_model_train_resumable
 * @param checkpoint_every epochs between checkpoints, at least 1 (used with checkpoint_path)
 * @return GLOVE_E_FORMAT for a malformed or corrupt file; GLOVE_E_IO when the
 *         temporary files cannot be written; otherwise as glove_model_train_resumable.
 */
glove_status glove_model_train_file(const char *cooc_path, int32_t format, const glove_vocab *vocab,
                                    const glove_train_params *params, uint64_t memory_limit, const char *temp_dir,
                                    const char *checkpoint_path, uint32_t checkpoint_every,
                                    glove_train_progress progress, void *user_data, glove_model **out_model);

/** Reads a native model file, validating it completely (GLOVE_E_FORMAT when malformed or corrupt). */
glove_status glove_model_load(const char *path, glove_model **out_model);

/**
 * Reads GloVe or word2vec text vectors ("word v1 ... vd" lines, optional "count dim" header,
 * whose counts must match the lines; LF or CRLF line ends).
 */
glove_status glove_model_import_text(const char *path, glove_model **out_model);

/** Writes a native model file atomically (temporary file, then rename). */
glove_status glove_model_save(const glove_model *model, const char *path);

/** GloVe text vectors (no header). */
#define GLOVE_VECTORS_GLOVE_TEXT 0
/** word2vec text ("count dim" header). */
#define GLOVE_VECTORS_WORD2VEC_TEXT 1
/** word2vec binary (little-endian float32). */
#define GLOVE_VECTORS_WORD2VEC_BINARY 2

/** Exports the vocabulary's vectors atomically in a GLOVE_VECTORS_* format. */
glove_status glove_model_export(const glove_model *model, const char *path, int32_t format);

/** Frees a model; NULL is ignored. */
void glove_model_free(glove_model *model);

/**
 * Sizes of a model.
 * @param out_rows   receives the number of rows: words, plus buckets if trained (may be NULL)
 * @param out_words  receives the number of words (may be NULL)
 * @param out_dim    receives the dimension (may be NULL)
 */
glove_status glove_model_size(const glove_model *model, size_t *out_rows, size_t *out_words, uint32_t *out_dim);

/** A new vocabulary handle for the model's words (free it with glove_vocab_free). */
glove_status glove_model_vocab(const glove_model *model, glove_vocab **out_vocab);

/**
 * Copies all vectors (rows x dim floats, row-major) and optionally the biases (rows floats).
 * @param capacity  floats out_vectors can hold; GLOVE_E_BUFFER_TOO_SMALL below rows x dim
 * @param out_biases may be NULL; otherwise it must hold rows floats
 */
glove_status glove_model_vectors(const glove_model *model, float *out_vectors, size_t capacity, float *out_biases);

/**
 * The vector of a word: its own row, or its bucket's row when the model trained buckets, or
 * (spelling-aware models, trained with subword_hashes k) the sum of its k buckets' rows.
 * @param out_vector         caller-owned array of capacity >= dim floats
 * @param out_in_vocabulary  receives 1 for a vocabulary word, 0 for a bucket (may be NULL)
 * @return GLOVE_E_INVALID_ARGUMENT when the word has no row
 */
glove_status glove_model_vector(const glove_model *model, const char *word, size_t length, float *out_vector,
                                size_t capacity, int32_t *out_in_vocabulary);

/** Inner-product scoring (biases excluded). */
#define GLOVE_SIMILARITY_DOT 0
/** Cosine scoring. */
#define GLOVE_SIMILARITY_COSINE 1

/**
 * Exact top-k vocabulary rows for a batch of query vectors, best first; ties by smaller id.
 * @param queries     query_count x dim floats, row-major, finite
 * @param out_ids     query_count x k ids (-1 where fewer than k rows exist)
 * @param out_scores  query_count x k scores
 */
glove_status glove_model_neighbors(const glove_model *model, const float *queries, size_t query_count, uint32_t k,
                                   int32_t similarity, int64_t *out_ids, float *out_scores);

/**
 * Top-k neighbours of a word (the word itself excluded); an out-of-vocabulary
 * word goes through its bucket (or buckets) when the model trained buckets, as glove_model_vector.
 * @param out_ids, out_scores  caller-owned arrays of k entries: *out_count results, then -1 and 0 up to
 *                             k or the model's row count, whichever is smaller
 * @param out_count            receives the number of results
 * @param out_in_vocabulary    receives 1 for a vocabulary word, 0 for a bucket (may be NULL)
 */
glove_status glove_model_word_neighbors(const glove_model *model, const char *word, size_t length, uint32_t k,
                                        int32_t similarity, int64_t *out_ids, float *out_scores, size_t *out_count,
                                        int32_t *out_in_vocabulary);

/** 3CosAdd. */
#define GLOVE_ANALOGY_ADD 0
/** 3CosMul (Levy and Goldberg 2014). */
#define GLOVE_ANALOGY_MUL 1

/**
 * Completes a : b :: c : ? (NUL-terminated words; a, b and c excluded from the answers).
 * @param out_ids, out_scores  caller-owned arrays of k entries: *out_count results, then -1 and 0 up to
 *                             k or the model's row count, whichever is smaller
 * @param out_count            receives the number of answers
 */
glove_status glove_model_analogy(const glove_model *model, const char *a, const char *b, const char *c, uint32_t k,
                                 int32_t method, int64_t *out_ids, float *out_scores, size_t *out_count);

/**
 * Mean weighted squared error of each training epoch.
 * @param out_count  receives the number of epochs (also when out_losses is NULL and capacity 0)
 */
glove_status glove_model_loss_history(const glove_model *model, double *out_losses, size_t capacity, size_t *out_count);

/**
 * Spearman correlation on a word-pair file ("w1 w2 score" lines, finite scores), pairs covered
 * and in total; NaN when fewer than two pairs are covered or either side has no spread.
 */
glove_status glove_model_evaluate_similarity(const glove_model *model, const char *path, double *out_spearman,
                                             size_t *out_covered, size_t *out_total);

/** 3CosAdd accuracy on an analogy file (questions-words.txt), questions covered and in total. */
glove_status glove_model_evaluate_analogies(const glove_model *model, const char *path, double *out_accuracy,
                                            size_t *out_covered, size_t *out_total);

/* ------------------------------------------------------------------ */
/* Bilinear recommenders                                               */
/* ------------------------------------------------------------------ */

/*
 * Users and items are described by feature vectors (rows of glove_features:
 * one-hot ids, genres, ages, any floats) and scored by
 *   score(u, x) = u^T A x + w_u.u + w_x.x + c
 * GLOVE_FORM_DIAGONAL: A = diag(a), users and items share one feature space;
 * GLOVE_FORM_FULL:     A is p x q;
 * GLOVE_FORM_FACTORIZED: A = P diag(a) Q^T of rank k (a stays 1 in gradient
 *   training): matrix factorisation with one-hot ids, a LightFM-style hybrid
 *   with feature indicators.
 * A new user needs only a feature row: no history, no retraining (cold start).
 * A glove_bilinear holds the model and the catalogue of items it ranks.
 */

#define GLOVE_FORM_DIAGONAL 0
#define GLOVE_FORM_FULL 1
#define GLOVE_FORM_FACTORIZED 2

/** Ratings: mean of (score - rating)^2; diagonal and full forms are solved in closed form (ridge). */
#define GLOVE_LOSS_SQUARED 0
/** Implicit positives: Bayesian personalised ranking against one sampled unseen item. */
#define GLOVE_LOSS_BPR 1
/** Implicit positives: WARP, sampling until an item violates the margin, weighted by ln(items / samples). */
#define GLOVE_LOSS_WARP 2

/** An immutable sparse matrix of feature rows: safe to share between threads. */
typedef struct glove_features glove_features;

/** Features from rows x columns floats in row order (zeros are not stored); NaN or infinity gives GLOVE_E_NUMERIC. */
glove_status glove_features_create_dense(const float *values, size_t rows, size_t columns, glove_features **out_features);

/**
 * Features from compressed rows (CSR): row r holds indices/values[row_starts[r] .. row_starts[r + 1]),
 * columns strictly increasing within a row. row_starts has rows + 1 entries, from 0.
 * @param nnz  the length of indices and values; row_starts[rows] must equal it
 */
glove_status glove_features_create_csr(size_t rows, size_t columns, const uint64_t *row_starts, const uint32_t *indices,
                                       const float *values, size_t nnz, glove_features **out_features);

/**
 * Reads "row<TAB>feature<TAB>value" lines (ids from 0, any order, repeats summed).
 * @param columns  the number of features, or 0 for the largest feature + 1
 */
glove_status glove_features_load(const char *path, size_t columns, glove_features **out_features);

/** Sizes of a feature matrix (each out-parameter may be NULL). */
glove_status glove_features_size(const glove_features *features, size_t *out_rows, size_t *out_columns, size_t *out_nnz);

/** Frees a feature matrix; NULL is ignored. */
void glove_features_free(glove_features *features);

/** Bilinear training options. */
typedef struct glove_bilinear_params {
    uint32_t struct_size;        /**< sizeof(glove_bilinear_params) */
    int32_t form;                /**< GLOVE_FORM_*; default GLOVE_FORM_FACTORIZED */
    uint32_t rank;               /**< latent rank of the factorized form; default 32; 1 .. 4096 */
    int32_t loss;                /**< GLOVE_LOSS_*; default GLOVE_LOSS_WARP */
    int32_t optimizer;           /**< GLOVE_OPTIMIZER_ADAGRAD (default; textbook, sums start at 1), _ADAM or _SGD */
    float learning_rate;         /**< default 0 = 0.01 for Adam, 0.05 otherwise */
    float l2;                    /**< L2 penalty (the ridge penalty of the closed form); default 0 */
    uint32_t epochs;             /**< default 20 */
    uint32_t threads;            /**< default 0 = one per processor; 1 = repeatable */
    uint32_t max_sampled;        /**< most items WARP samples per positive; default 10 */
    float init_scale;            /**< embeddings start uniform in +-init_scale/sqrt(rank); default 0.1 */
    uint32_t patience;           /**< epochs without validation improvement before stopping; default 3 */
    double validation_fraction;  /**< interactions held out to keep the best epoch; default 0 = none */
    uint64_t seed;               /**< random seed; default 1 */
} glove_bilinear_params;

/**
 * Bilinear training progress: called on the caller's thread after each epoch
 * with the epoch's mean loss and the validation score (mean AUC for ranking
 * losses, RMSE for ratings; NaN without a validation split). Return 0 to
 * continue, non-zero to stop: the call then succeeds with the model so far.
 */
typedef int32_t (*glove_bilinear_progress)(uint32_t epoch, double loss, double validation, void *user_data);

/** A trained model with its item catalogue: const functions are safe from many threads at once. */
typedef struct glove_bilinear glove_bilinear;

/** Mean top-k metrics over users with a test item (each user's training items removed from its ranking). */
typedef struct glove_ranking_metrics {
    double precision; /**< precision@k */
    double recall;    /**< recall@k */
    double ndcg;      /**< NDCG@k, binary relevance, log2 discount */
    double auc;       /**< P(test item outscores an item in neither train nor test), ties 1/2 */
    uint64_t users;   /**< users evaluated */
} glove_ranking_metrics;

/** Default bilinear options.  Thread-safe. */
glove_bilinear_params glove_bilinear_default_params(void);

/**
 * Trains a model on interactions (user_ids[n], item_ids[n], values[n]).
 * @param users     one feature row per user id
 * @param items     one feature row per item id: the catalogue the model ranks (copied)
 * @param values    ratings (GLOVE_LOSS_SQUARED) or weights, or NULL for all 1
 * @param progress  optional per-epoch callback (may be NULL), with user_data
 * @return GLOVE_E_NUMERIC when the loss diverges (try a lower learning rate)
 */
glove_status glove_bilinear_fit(const glove_features *users, const glove_features *items, const uint32_t *user_ids,
                                const uint32_t *item_ids, const float *values, size_t count,
                                const glove_bilinear_params *params, glove_bilinear_progress progress, void *user_data,
                                glove_bilinear **out_model);

/** Reads a native bilinear model file, validating it completely (GLOVE_E_FORMAT when malformed or corrupt). */
glove_status glove_bilinear_load(const char *path, glove_bilinear **out_model);

/** Writes the model and its catalogue atomically (temporary file, then rename). */
glove_status glove_bilinear_save(const glove_bilinear *model, const char *path);

/** Frees a model; NULL is ignored. */
void glove_bilinear_free(glove_bilinear *model);

/** Shape of a model (each out-parameter may be NULL). */
glove_status glove_bilinear_info(const glove_bilinear *model, int32_t *out_form, size_t *out_user_features,
                                 size_t *out_item_features, size_t *out_rank, size_t *out_items);

/**
 * Appends items to the catalogue, scored through their features without
 * retraining; they get ids from the old item count on. Needs exclusive access.
 */
glove_status glove_bilinear_add_items(glove_bilinear *model, const glove_features *items);

/**
 * Scores of (user row, item) pairs.
 * @param users       feature rows of the users (new users need no history)
 * @param out_scores  receives count scores
 */
glove_status glove_bilinear_score(const glove_bilinear *model, const glove_features *users, const uint32_t *user_rows,
                                  const uint32_t *item_ids, size_t count, float *out_scores);

/**
 * The k best items of the catalogue for every row of users, best first (ties: smaller item).
 * @param exclude_starts  NULL, or rows + 1 offsets into exclude_items: row r skips
 *                        exclude_items[exclude_starts[r] .. exclude_starts[r + 1]) (e.g. items seen)
 * @param threads         0 = one per processor
 * @param out_items       receives rows x k item ids; UINT32_MAX where fewer than k items remain
 * @param out_scores      receives rows x k scores (may be NULL); -infinity where fewer remain
 */
glove_status glove_bilinear_recommend(const glove_bilinear *model, const glove_features *users,
                                      const uint64_t *exclude_starts, const uint32_t *exclude_items, uint32_t k,
                                      uint32_t threads, uint32_t *out_items, float *out_scores);

/**
 * Ranking metrics of the model on held-out interactions.
 * @param users  feature rows of the users the interactions name
 */
glove_status glove_bilinear_evaluate(const glove_bilinear *model, const glove_features *users, const uint32_t *train_users,
                                     const uint32_t *train_items, size_t train_count, const uint32_t *test_users,
                                     const uint32_t *test_items, size_t test_count, uint32_t k,
                                     glove_ranking_metrics *out_metrics);

/**
 * The same metrics for any recommender's scores (users x items, row order), e.g. another library's.
 */
glove_status glove_ranking_metrics_from_scores(const float *scores, size_t users, size_t items, const uint32_t *train_users,
                                               const uint32_t *train_items, size_t train_count, const uint32_t *test_users,
                                               const uint32_t *test_items, size_t test_count, uint32_t k,
                                               glove_ranking_metrics *out_metrics);

/** Mean loss of each training epoch (as glove_model_loss_history). */
glove_status glove_bilinear_loss_history(const glove_bilinear *model, double *out_losses, size_t capacity,
                                         size_t *out_count);

/**
 * The catalogue's latent item vectors (y scaled by a, as scored), items x rank floats,
 * and each item's bias w_x.x + c (may be NULL).
 * @param capacity  floats out_vectors can hold; GLOVE_E_BUFFER_TOO_SMALL below items x rank
 */
glove_status glove_bilinear_item_vectors(const glove_bilinear *model, float *out_vectors, size_t capacity,
                                         float *out_biases);

/**
 * Latent user vectors z (rows x rank floats) and user biases w_u.u (may be NULL) of feature rows:
 * score = z . item vector + item bias + user bias.
 */
glove_status glove_bilinear_user_vectors(const glove_bilinear *model, const glove_features *users, float *out_vectors,
                                         size_t capacity, float *out_biases);

#ifdef __cplusplus
}
#endif

#endif /* GLOVE_H */
