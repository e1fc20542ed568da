/*
 * test_abi.c — calls every function declared in glove.h through the linked
 * library (so a declared-but-missing symbol fails to link), checks the
 * min-hash test vectors and the error contract.
 *
 * Usage: test_abi VECTORS_TSV
 * Prints one line per failed check and a closing "N passed, M failed" line.
 */
#include <glove.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (cond) {                                        \
            passed++;                                      \
        } else {                                           \
            failed++;                                      \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);    \
            printf(__VA_ARGS__);                           \
            printf("\n");                                  \
        }                                                  \
    } while (0)

typedef struct {
    unsigned char *bytes;
    size_t length;
    uint32_t compat, full0, full42, sig[4];
} vector_row;

static size_t parse_hex(const char *hex, unsigned char **out) {
    size_t n = strlen(hex) / 2;
    *out = malloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        (*out)[i] = (unsigned char)v;
    }
    return n;
}

static size_t load_vectors(const char *path, vector_row **rows) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    size_t count = 0, cap = 2048;
    *rows = calloc(cap, sizeof(vector_row));
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        char *tab = strchr(line, '\t');
        *tab = '\0';
        vector_row *r = &(*rows)[count++];
        r->length = parse_hex(line, &r->bytes);
        sscanf(tab + 1, "%u\t%u\t%u\t%u,%u,%u,%u", &r->compat, &r->full0, &r->full42,
               &r->sig[0], &r->sig[1], &r->sig[2], &r->sig[3]);
    }
    fclose(f);
    return count;
}

static glove_minhash *make(int32_t scheme, uint32_t buckets, uint32_t seed, uint32_t hashes) {
    glove_minhash_params p = glove_minhash_default_params();
    p.scheme = scheme;
    p.num_buckets = buckets;
    p.seed = seed;
    p.num_hashes = hashes;
    glove_minhash *h = NULL;
    glove_status s = glove_minhash_create(&p, &h);
    if (s != GLOVE_OK) { printf("create failed: %s\n", glove_last_error_message()); exit(2); }
    return h;
}

static void test_versions(void) {
    CHECK(glove_version_number() == GLOVE_VERSION_NUMBER, "run-time version %d", (int)glove_version_number());
    CHECK(strcmp(glove_version_string(), GLOVE_VERSION_STRING) == 0, "version string %s", glove_version_string());
    CHECK(glove_abi_version() == GLOVE_ABI_VERSION, "abi %d", (int)glove_abi_version());
}

static void test_vectors(const vector_row *rows, size_t n) {
    glove_minhash *compat = make(GLOVE_MINHASH_COMPAT, 65536, 0, 64);
    glove_minhash *full0 = make(GLOVE_MINHASH_FULL, 65536, 0, 64);
    glove_minhash *full42 = make(GLOVE_MINHASH_FULL, 1000003, 42, 64);
    glove_minhash *sig7 = make(GLOVE_MINHASH_FULL, 65536, 7, 4);
    const char **words = malloc(n * sizeof *words);
    size_t *lengths = malloc(n * sizeof *lengths);
    uint32_t *batch = malloc(n * sizeof *batch);
    size_t ok_single = 0, ok_sig = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t b0 = 1, b1 = 1, b2 = 1, sig[4];
        glove_minhash_bucket(compat, (const char *)rows[i].bytes, rows[i].length, &b0);
        glove_minhash_bucket(full0, (const char *)rows[i].bytes, rows[i].length, &b1);
        glove_minhash_bucket(full42, (const char *)rows[i].bytes, rows[i].length, &b2);
        ok_single += b0 == rows[i].compat && b1 == rows[i].full0 && b2 == rows[i].full42;
        glove_minhash_signature(sig7, (const char *)rows[i].bytes, rows[i].length, sig, 4);
        ok_sig += memcmp(sig, rows[i].sig, sizeof sig) == 0;
        words[i] = (const char *)rows[i].bytes;
        lengths[i] = rows[i].length;
    }
    CHECK(ok_single == n, "single buckets: %zu of %zu rows agree", ok_single, n);
    CHECK(ok_sig == n, "signatures: %zu of %zu rows agree", ok_sig, n);

    CHECK(glove_minhash_buckets(compat, words, lengths, n, batch) == GLOVE_OK, "buckets");
    size_t ok_batch = 0;
    for (size_t i = 0; i < n; i++) ok_batch += batch[i] == rows[i].compat;
    CHECK(ok_batch == n, "batch buckets: %zu of %zu rows agree", ok_batch, n);

    /* Delimited: every row without '\n', joined by '\n'. */
    char *joined = malloc(64 * n);
    size_t used = 0, fields = 0;
    uint32_t *expected = malloc(n * sizeof *expected);
    for (size_t i = 0; i < n; i++) {
        if (memchr(rows[i].bytes, '\n', rows[i].length)) continue;
        if (fields) joined[used++] = '\n';
        memcpy(joined + used, rows[i].bytes, rows[i].length);
        used += rows[i].length;
        expected[fields++] = rows[i].full0;
    }
    size_t written = 0;
    CHECK(glove_minhash_buckets_delimited(full0, joined, used, '\n', batch, n, &written) == GLOVE_OK, "delimited");
    CHECK(written == fields && memcmp(batch, expected, fields * sizeof *batch) == 0,
          "delimited: %zu fields written, %zu expected", written, fields);
    CHECK(glove_minhash_buckets_delimited(full0, joined, used, '\n', batch, fields - 1, &written) ==
              GLOVE_E_BUFFER_TOO_SMALL && written == 0, "delimited with too small a buffer");

    /* NUL-terminated batch form (lengths NULL). */
    const char *plain[3] = {"zebra", "hashes", ""};
    uint32_t out3[3];
    CHECK(glove_minhash_buckets(compat, plain, NULL, 3, out3) == GLOVE_OK && out3[2] == 0, "NUL-terminated batch");

    double estimate = -1;
    CHECK(glove_minhash_jaccard(full0, "democracy", 9, "democracy", 9, &estimate) == GLOVE_OK && estimate == 1.0,
          "jaccard of identical words: %f", estimate);
    CHECK(glove_minhash_jaccard(full0, "aaaaaaa", 7, "zzzzzzz", 7, &estimate) == GLOVE_OK && estimate == 0.0,
          "jaccard of disjoint words: %f", estimate);

    glove_minhash_params got;
    CHECK(glove_minhash_get_params(full42, &got) == GLOVE_OK && got.num_buckets == 1000003 && got.seed == 42 &&
              got.scheme == GLOVE_MINHASH_FULL && got.struct_size == sizeof got, "get_params");

    free(joined); free(expected); free(words); free(lengths); free(batch);
    glove_minhash_free(compat); glove_minhash_free(full0); glove_minhash_free(full42); glove_minhash_free(sig7);
}

static void *other_thread(void *arg) {
    (void)arg;
    return (void *)glove_last_error_message();
}

static void test_errors(void) {
    glove_minhash *h = (glove_minhash *)0x1;
    glove_minhash_params p = glove_minhash_default_params();
    CHECK(p.struct_size == sizeof p && p.scheme == GLOVE_MINHASH_COMPAT && p.num_buckets == 65536 &&
              p.seed == 0 && p.num_hashes == 64, "default params");

    p.num_buckets = 10;
    CHECK(glove_minhash_create(&p, &h) == GLOVE_E_INVALID_ARGUMENT && h == NULL, "compat with 10 buckets");
    CHECK(strstr(glove_last_error_message(), "glove_minhash_create: num_buckets must be 65536") != NULL,
          "message: %s", glove_last_error_message());
    p = glove_minhash_default_params();
    p.struct_size = 12345;
    CHECK(glove_minhash_create(&p, &h) == GLOVE_E_INVALID_ARGUMENT, "unknown struct_size");
    p = glove_minhash_default_params();
    p.scheme = 7;
    CHECK(glove_minhash_create(&p, &h) == GLOVE_E_INVALID_ARGUMENT, "unknown scheme");
    p = glove_minhash_default_params();
    p.num_hashes = 0;
    CHECK(glove_minhash_create(&p, &h) == GLOVE_E_INVALID_ARGUMENT, "zero hashes");
    CHECK(glove_minhash_create(NULL, NULL) == GLOVE_E_INVALID_ARGUMENT, "NULL out pointer");

    /* The message is per thread: another thread sees its own (empty) one. */
    pthread_t t;
    void *seen = NULL;
    pthread_create(&t, NULL, other_thread, NULL);
    pthread_join(t, &seen);
    CHECK(seen != NULL && ((const char *)seen)[0] == '\0', "other thread's message is empty");

    CHECK(glove_minhash_create(NULL, &h) == GLOVE_OK && h != NULL, "NULL params means defaults");
    uint32_t bucket = 99, sig[2];
    double estimate = 5;
    size_t written = 9;
    CHECK(glove_minhash_bucket(NULL, "a", 1, &bucket) == GLOVE_E_INVALID_ARGUMENT && bucket == 0, "NULL handle");
    CHECK(glove_minhash_bucket(h, NULL, 3, &bucket) == GLOVE_E_INVALID_ARGUMENT, "NULL word with length");
    CHECK(glove_minhash_bucket(h, NULL, 0, &bucket) == GLOVE_OK && bucket == 0, "NULL empty word");
    CHECK(glove_minhash_bucket(h, "a", (size_t)-1, &bucket) == GLOVE_E_INVALID_ARGUMENT, "negative length");
    CHECK(glove_minhash_bucket(h, "a", 1, NULL) == GLOVE_E_INVALID_ARGUMENT, "NULL out_bucket");
    CHECK(glove_minhash_buckets(h, NULL, NULL, 2, sig) == GLOVE_E_INVALID_ARGUMENT, "NULL words");
    const char *with_null[2] = {"a", NULL};
    CHECK(glove_minhash_buckets(h, with_null, NULL, 2, sig) == GLOVE_E_INVALID_ARGUMENT, "NULL word in batch");
    CHECK(glove_minhash_buckets(h, NULL, NULL, 0, NULL) == GLOVE_OK, "empty batch");
    CHECK(glove_minhash_buckets_delimited(h, "a", 1, '\n', NULL, 1, &written) == GLOVE_E_INVALID_ARGUMENT &&
              written == 0, "NULL delimited output");
    CHECK(glove_minhash_signature(h, "abc", 3, sig, 2) == GLOVE_E_BUFFER_TOO_SMALL, "signature buffer too small");
    CHECK(glove_minhash_jaccard(h, NULL, 1, "a", 1, &estimate) == GLOVE_E_INVALID_ARGUMENT && estimate == 0,
          "jaccard with NULL word");
    CHECK(glove_minhash_get_params(h, NULL) == GLOVE_E_INVALID_ARGUMENT, "get_params NULL out");

    glove_minhash_free(h);
    CHECK(glove_minhash_bucket(h, "a", 1, &bucket) == GLOVE_E_INVALID_ARGUMENT, "freed handle is refused");
    CHECK(strstr(glove_last_error_message(), "not a live handle") != NULL, "message: %s", glove_last_error_message());
    glove_minhash_free(h);     /* double free is ignored */
    glove_minhash_free(NULL);  /* NULL is ignored */

    CHECK(strcmp(glove_status_string(GLOVE_OK), "ok") == 0, "status ok");
    CHECK(strcmp(glove_status_string(GLOVE_E_BUFFER_TOO_SMALL), "buffer too small") == 0, "status text");
    CHECK(strcmp(glove_status_string(-999), "unknown status") == 0, "unknown status");
    const glove_status all[] = {GLOVE_E_INVALID_ARGUMENT, GLOVE_E_NOMEM, GLOVE_E_IO, GLOVE_E_FORMAT,
                                GLOVE_E_CANCELLED, GLOVE_E_NUMERIC};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        CHECK(strcmp(glove_status_string(all[i]), "unknown status") != 0, "status %d has a text", (int)all[i]);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s VECTORS_TSV\n", argv[0]); return 2; }
    vector_row *rows;
    size_t n = load_vectors(argv[1], &rows);
    CHECK(n >= 1000, "only %zu vectors", n);
    test_versions();
    test_vectors(rows, n);
    test_errors();
    for (size_t i = 0; i < n; i++) free(rows[i].bytes);
    free(rows);
    printf("c: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
