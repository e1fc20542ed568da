/*
 * test_abi.c — calls every function declared in glove.h through the linked
 * library (so a declared-but-missing symbol fails to link), checks the
 * min-hash test vectors and the error contract.
 *
 * Usage: test_abi VECTORS_DIR   (Tests/vectors: minhash.tsv and corpus/)
 * Prints one line per failed check and a closing "N passed, M failed" line.
 */
#include <glove.h>

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

int passed, failed;

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

/* ---- corpus pipeline ------------------------------------------------ */

typedef struct { uint32_t i, j; double x; } triple;

static int compare_triples(const void *a, const void *b) {
    const triple *p = a, *q = b;
    if (p->i != q->i) return p->i < q->i ? -1 : 1;
    if (p->j != q->j) return p->j < q->j ? -1 : 1;
    return 0;
}

static size_t load_triples(const char *path, triple **out) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    size_t n = 0, cap = 1024;
    *out = malloc(cap * sizeof **out);
    unsigned i, j;
    double x;
    while (fscanf(f, "%u %u %lf", &i, &j, &x) == 3) {
        if (n == cap) *out = realloc(*out, (cap *= 2) * sizeof **out);
        (*out)[n].i = i; (*out)[n].j = j; (*out)[n].x = x;
        n++;
    }
    fclose(f);
    qsort(*out, n, sizeof **out, compare_triples);
    return n;
}

/* Our triples, sorted; NULL-safe for empty matrices. */
static size_t our_triples(const glove_cooc *cooc, triple **out) {
    uint64_t nnz = 0;
    glove_cooc_size(cooc, NULL, &nnz);
    uint32_t *r = malloc((nnz + 1) * 4), *c = malloc((nnz + 1) * 4);
    double *v = malloc((nnz + 1) * 8);
    size_t written = 0;
    glove_status s = glove_cooc_triples(cooc, r, c, v, (size_t)nnz, &written);
    CHECK(s == GLOVE_OK && written == nnz, "glove_cooc_triples: %s", glove_last_error_message());
    *out = malloc((written + 1) * sizeof **out);
    for (size_t k = 0; k < written; k++) { (*out)[k].i = r[k]; (*out)[k].j = c[k]; (*out)[k].x = v[k]; }
    qsort(*out, written, sizeof **out, compare_triples);
    free(r); free(c); free(v);
    return written;
}

static int same_triples(const triple *a, size_t na, const triple *b, size_t nb, double scale_b) {
    if (na != nb) return 0;
    for (size_t k = 0; k < na; k++) {
        double expected = b[k].x * scale_b;
        if (a[k].i != b[k].i || a[k].j != b[k].j) return 0;
        if (a[k].x - expected > 1e-8 * expected || expected - a[k].x > 1e-8 * expected) return 0;
    }
    return 1;
}

/* Rebuilds a counted matrix from its triples: in full layout from every entry,
 * shuffled; in symmetric layout from each pair once, some reversed and some
 * split in two, which must then merge with the counted matrix. */
static void test_from_triples(const char *name, const glove_cooc *cooc, const triple *expected, size_t n_expected) {
    uint64_t dimension = 0;
    glove_cooc_size(cooc, &dimension, NULL);
    size_t n = n_expected, m = 0;
    uint32_t *r = malloc((2 * n + 1) * 4), *c = malloc((2 * n + 1) * 4);
    double *v = malloc((2 * n + 1) * 8);
    for (size_t k = 0; k < n; k++) {
        size_t at = (k * 7919) % n; /* a fixed permutation when n is not a multiple of 7919 */
        r[k] = expected[at].i; c[k] = expected[at].j; v[k] = expected[at].x;
    }
    glove_cooc *full = NULL, *symmetric = NULL, *sum = NULL;
    triple *t;
    CHECK(n % 7919 != 0 && glove_cooc_from_triples(r, c, v, n, (size_t)dimension, GLOVE_LAYOUT_FULL, &full) == GLOVE_OK,
          "%s: from_triples full: %s", name, glove_last_error_message());
    size_t nt = our_triples(full, &t);
    CHECK(same_triples(t, nt, expected, n_expected, 1.0), "%s: from_triples full gives the matrix", name);
    free(t);
    for (size_t k = 0; k < n; k++) {
        if (expected[k].i > expected[k].j) continue;
        int reversed = m % 3 == 1, split = m % 4 == 2;
        r[m] = reversed ? expected[k].j : expected[k].i;
        c[m] = reversed ? expected[k].i : expected[k].j;
        v[m] = split ? expected[k].x / 4 : expected[k].x;
        m++;
        if (split) { r[m] = expected[k].j; c[m] = expected[k].i; v[m] = expected[k].x * 0.75; m++; }
    }
    CHECK(glove_cooc_from_triples(r, c, v, m, 0, GLOVE_LAYOUT_SYMMETRIC, &symmetric) == GLOVE_OK,
          "%s: from_triples symmetric: %s", name, glove_last_error_message());
    nt = our_triples(symmetric, &t);
    CHECK(same_triples(t, nt, expected, n_expected, 1.0), "%s: from_triples symmetric gives the matrix", name);
    free(t);
    CHECK(glove_cooc_merge(cooc, symmetric, &sum) == GLOVE_OK, "%s: a symmetric matrix from triples merges", name);
    nt = our_triples(sum, &t);
    CHECK(same_triples(t, nt, expected, n_expected, 2.0), "%s: merge with it doubles", name);
    free(t);

    /* Refusals leave *out_cooc NULL. */
    glove_cooc *refused = full;
    v[0] = -1.0;
    CHECK(glove_cooc_from_triples(r, c, v, m, 0, GLOVE_LAYOUT_FULL, &refused) == GLOVE_E_INVALID_ARGUMENT && !refused,
          "%s: a negative value is refused", name);
    v[0] = 1.0;
    CHECK(glove_cooc_from_triples(r, c, v, m, 1, GLOVE_LAYOUT_FULL, &refused) == GLOVE_E_INVALID_ARGUMENT,
          "%s: an id beyond the dimension is refused", name);
    CHECK(glove_cooc_from_triples(r, c, v, m, 0, 2, &refused) == GLOVE_E_INVALID_ARGUMENT, "%s: layout 2 is refused", name);
    {
        /* Values that sum past the largest double, in one matrix or across a merge. */
        uint32_t twice_r[2] = {1, 1}, twice_c[2] = {2, 2};
        double huge[2] = {1.2e308, 1.2e308};
        glove_cooc *one = NULL;
        CHECK(glove_cooc_from_triples(twice_r, twice_c, huge, 2, 0, GLOVE_LAYOUT_FULL, &refused) == GLOVE_E_INVALID_ARGUMENT &&
                  !refused && strstr(glove_last_error_message(), "sum past the largest double"),
              "%s: a position summing past the largest double is refused", name);
        CHECK(glove_cooc_from_triples(twice_r, twice_c, huge, 1, 0, GLOVE_LAYOUT_FULL, &one) == GLOVE_OK, "%s: one huge value", name);
        refused = full;
        CHECK(glove_cooc_merge(one, one, &refused) == GLOVE_E_INVALID_ARGUMENT && !refused,
              "%s: a merge summing past the largest double is refused", name);
        glove_cooc_free(one);
    }
    CHECK(glove_cooc_from_triples(NULL, c, v, m, 0, GLOVE_LAYOUT_FULL, &refused) == GLOVE_E_INVALID_ARGUMENT,
          "%s: NULL rows are refused", name);
    CHECK(glove_cooc_from_triples(NULL, NULL, NULL, 0, 3, GLOVE_LAYOUT_FULL, &refused) == GLOVE_OK,
          "%s: no triples give an empty matrix", name);
    uint64_t d = 0, nnz = 1;
    glove_cooc_size(refused, &d, &nnz);
    CHECK(d == 3 && nnz == 0, "%s: empty matrix of dimension 3 (got %llu, %llu)", name, (unsigned long long)d,
          (unsigned long long)nnz);
    glove_cooc_free(refused);
    glove_cooc_free(full); glove_cooc_free(symmetric); glove_cooc_free(sum);
    free(r); free(c); free(v);
}

/* Whether two vocabularies have the same words and counts in the same order. */
static int same_words(const glove_vocab *a, const glove_vocab *b) {
    size_t na = 0, nb = 0;
    glove_vocab_size(a, &na, NULL);
    glove_vocab_size(b, &nb, NULL);
    if (na != nb) return 0;
    for (size_t id = 0; id < na; id++) {
        const char *wa, *wb;
        uint64_t ca, cb;
        glove_vocab_word(a, id, &wa, NULL, &ca);
        glove_vocab_word(b, id, &wb, NULL, &cb);
        if (strcmp(wa, wb) != 0 || ca != cb) return 0;
    }
    return 1;
}

static void test_corpus_case(const char *dir, const char *name, uint64_t min_count, uint32_t window, int32_t oov,
                             float subsample) {
    char corpus[1024], vocab_path[1024], triples_path[1024], tmp[1024];
    snprintf(corpus, sizeof corpus, "%s/corpus/%s/corpus.txt", dir, name);
    snprintf(vocab_path, sizeof vocab_path, "%s/corpus/%s/vocab.txt", dir, name);
    snprintf(triples_path, sizeof triples_path, "%s/corpus/%s/triples.tsv", dir, name);
    const char *paths[1] = {corpus};

    glove_vocab_params vp = glove_vocab_default_params();
    vp.min_count = min_count;
    vp.threads = 2;
    glove_vocab *vocab = NULL, *expected_vocab = NULL;
    CHECK(glove_vocab_build(paths, 1, &vp, NULL, NULL, NULL, &vocab) == GLOVE_OK, "%s: build: %s", name, glove_last_error_message());
    CHECK(glove_vocab_load(vocab_path, NULL, &expected_vocab) == GLOVE_OK, "%s: load vocab", name);
    size_t n1 = 0, n2 = 0, space = 0;
    glove_vocab_size(vocab, &n1, &space);
    glove_vocab_size(expected_vocab, &n2, NULL);
    CHECK(n1 == n2 && space == n1 + 65536, "%s: vocabulary sizes %zu vs %zu", name, n1, n2);
    size_t agree = 0;
    for (size_t id = 0; id < n1 && id < n2; id++) {
        const char *a, *b;
        uint64_t ca, cb;
        glove_vocab_word(vocab, id, &a, NULL, &ca);
        glove_vocab_word(expected_vocab, id, &b, NULL, &cb);
        agree += strcmp(a, b) == 0 && ca == cb;
    }
    CHECK(agree == n1, "%s: %zu of %zu words agree", name, agree, n1);

    glove_cooc_params cp = glove_cooc_default_params();
    cp.window = window;
    cp.oov = oov;
    cp.subsample = subsample;
    cp.threads = 2;
    glove_cooc *cooc = NULL;
    CHECK(glove_cooc_count_files(vocab, paths, 1, &cp, NULL, NULL, &cooc) == GLOVE_OK, "%s: count: %s", name, glove_last_error_message());
    triple *ours, *expected;
    size_t n_ours = our_triples(cooc, &ours), n_expected = load_triples(triples_path, &expected);
    CHECK(same_triples(ours, n_ours, expected, n_expected, 1.0), "%s: %zu triples vs %zu expected", name, n_ours, n_expected);

    /* One read of the corpus gives the same vocabulary and matrix, at 1 and 2 threads. */
    for (uint32_t threads = 1; threads <= 2; threads++) {
        glove_vocab *one_vocab = NULL;
        glove_cooc *one_cooc = NULL;
        cp.threads = threads;
        CHECK(glove_cooc_count_corpus(paths, 1, &vp, NULL, &cp, NULL, NULL, &one_vocab, &one_cooc) == GLOVE_OK,
              "%s: count_corpus: %s", name, glove_last_error_message());
        CHECK(same_words(one_vocab, expected_vocab), "%s: count_corpus vocabulary, %u threads", name, threads);
        triple *t;
        size_t nt = our_triples(one_cooc, &t);
        CHECK(same_triples(t, nt, expected, n_expected, 1.0), "%s: count_corpus triples, %u threads", name, threads);
        free(t);
        glove_cooc_free(one_cooc);
        glove_vocab_free(one_vocab);
    }

    /* Round trips through both formats, and a merge with itself doubles every value. */
    for (int32_t format = GLOVE_FORMAT_STANFORD; format <= GLOVE_FORMAT_NATIVE; format++) {
        snprintf(tmp, sizeof tmp, "%s/libglove-test-%s-%d.bin", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name, (int)format);
        glove_cooc *back = NULL;
        triple *t;
        CHECK(glove_cooc_save(cooc, tmp, format) == GLOVE_OK, "%s: save %d", name, (int)format);
        CHECK(glove_cooc_load(tmp, format, 0, &back) == GLOVE_OK, "%s: load %d: %s", name, (int)format, glove_last_error_message());
        size_t nt = our_triples(back, &t);
        CHECK(same_triples(t, nt, expected, n_expected, 1.0), "%s: format %d round trip", name, (int)format);
        free(t);
        glove_cooc_free(back);
        remove(tmp);
    }
    glove_cooc *twice = NULL;
    triple *t2;
    CHECK(glove_cooc_merge(cooc, cooc, &twice) == GLOVE_OK, "%s: merge", name);
    size_t n2t = our_triples(twice, &t2);
    CHECK(same_triples(t2, n2t, expected, n_expected, 2.0), "%s: merge doubles", name);
    free(t2);
    glove_cooc_free(twice);
    test_from_triples(name, cooc, expected, n_expected);

    free(ours); free(expected);
    glove_cooc_free(cooc);
    glove_vocab_free(vocab);
    glove_vocab_free(expected_vocab);
}

static void test_corpus(const char *dir) {
    test_corpus_case(dir, "basic", 2, 10, GLOVE_OOV_DROP, 0);
    test_corpus_case(dir, "buckets", 3, 5, GLOVE_OOV_BUCKET, 0);
    test_corpus_case(dir, "subsample", 2, 5, GLOVE_OOV_BUCKET, 0.015625f); /* frequent words dropped, as the reference does */

    /* Token ids: "la la la la / la / / la la", window 3, against the reference. */
    const int32_t ids[] = {0, 0, 0, 0, -1, 0, -1, -1, 0, 0, -1};
    glove_cooc_params cp = glove_cooc_default_params();
    cp.window = 3;
    glove_cooc *cooc = NULL;
    CHECK(glove_cooc_count_ids(ids, 11, 1, &cp, &cooc) == GLOVE_OK, "count_ids");
    triple *ours, *expected;
    char path[1024];
    snprintf(path, sizeof path, "%s/corpus/repeated_word/triples.tsv", dir);
    size_t n_ours = our_triples(cooc, &ours), n_expected = load_triples(path, &expected);
    CHECK(same_triples(ours, n_ours, expected, n_expected, 1.0), "count_ids triples");
    free(ours); free(expected);

    /* Shuffling a Stanford file keeps its records. */
    char in[1024], out[1024];
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(in, sizeof in, "%s/libglove-test-shuffle-in.bin", tmp);
    snprintf(out, sizeof out, "%s/libglove-test-shuffle-out.bin", tmp);
    CHECK(glove_cooc_save(cooc, in, GLOVE_FORMAT_STANFORD) == GLOVE_OK, "save for shuffle");
    CHECK(glove_cooc_shuffle_file(in, out, 7, 1 << 20, NULL) == GLOVE_OK, "shuffle: %s", glove_last_error_message());
    glove_cooc *shuffled = NULL;
    CHECK(glove_cooc_load(out, GLOVE_FORMAT_STANFORD, 1, &shuffled) == GLOVE_OK, "load shuffled");
    uint64_t nnz = 0;
    glove_cooc_size(shuffled, NULL, &nnz);
    CHECK(nnz == 1, "shuffled nnz %llu", (unsigned long long)nnz);
    remove(in); remove(out);
    glove_cooc_free(shuffled);
    glove_cooc_free(cooc);

    /* Lookup: in-vocabulary ids, buckets, drops. */
    const char *words[2] = {"democracy", "zebra"};
    const uint64_t counts[2] = {3, 1};
    glove_vocab *vocab = NULL;
    CHECK(glove_vocab_create(words, counts, 2, NULL, &vocab) == GLOVE_OK, "vocab_create");
    int64_t id = 0;
    int32_t in_vocab = 0;
    CHECK(glove_vocab_lookup(vocab, "zebra", 5, GLOVE_OOV_BUCKET, &id, &in_vocab) == GLOVE_OK && id == 1 && in_vocab == 1, "lookup zebra");
    CHECK(glove_vocab_lookup(vocab, "democratic", 10, GLOVE_OOV_BUCKET, &id, &in_vocab) == GLOVE_OK && id == 2 + 1930 &&
              in_vocab == 0, "lookup bucket %lld", (long long)id);
    CHECK(glove_vocab_lookup(vocab, "democratic", 10, GLOVE_OOV_DROP, &id, &in_vocab) == GLOVE_OK && id == -1, "lookup drop");
    snprintf(path, sizeof path, "%s/libglove-test-vocab.txt", tmp);
    glove_vocab *back = NULL;
    const char *word;
    CHECK(glove_vocab_save(vocab, path) == GLOVE_OK && glove_vocab_load(path, NULL, &back) == GLOVE_OK &&
              glove_vocab_word(back, 1, &word, NULL, NULL) == GLOVE_OK && strcmp(word, "zebra") == 0, "vocab round trip");
    remove(path);
    glove_vocab_free(back);

    /* Errors. */
    const char *missing[1] = {"/nonexistent/corpus.txt"};
    glove_vocab *none = (glove_vocab *)0x1;
    CHECK(glove_vocab_build(missing, 1, NULL, NULL, NULL, NULL, &none) == GLOVE_E_IO && none == NULL, "missing file");
    CHECK(strstr(glove_last_error_message(), "/nonexistent/corpus.txt") != NULL, "message names the file");
    cp = glove_cooc_default_params();
    cp.window = 0;
    CHECK(glove_cooc_count_files(vocab, words, 1, &cp, NULL, NULL, &cooc) == GLOVE_E_INVALID_ARGUMENT, "window 0");
    cp = glove_cooc_default_params();
    cp.subsample = 1.0f;
    CHECK(glove_cooc_count_files(vocab, words, 1, &cp, NULL, NULL, &cooc) == GLOVE_E_INVALID_ARGUMENT, "subsample 1");
    cp.subsample = -0.5f;
    CHECK(glove_cooc_count_ids(ids, 11, 20, &cp, &cooc) == GLOVE_E_INVALID_ARGUMENT, "negative subsample");
    cp = glove_cooc_default_params();
    cp.struct_size = 8;
    CHECK(glove_cooc_count_ids(ids, 11, 1, &cp, &cooc) == GLOVE_E_INVALID_ARGUMENT, "bad struct_size");
    CHECK(glove_cooc_count_ids(ids, 11, 0, NULL, &cooc) == GLOVE_E_INVALID_ARGUMENT, "id beyond dimension");
    glove_vocab_params vp = glove_vocab_default_params();
    vp.mode = 9;
    CHECK(glove_vocab_build(missing, 1, &vp, NULL, NULL, NULL, &none) == GLOVE_E_INVALID_ARGUMENT, "bad mode");
    CHECK(glove_vocab_word(vocab, 2, &word, NULL, NULL) == GLOVE_E_INVALID_ARGUMENT, "word id out of range");
    FILE *f = fopen(path, "w");
    fputs("GLOVECOO garbage", f);
    fclose(f);
    CHECK(glove_cooc_load(path, GLOVE_FORMAT_NATIVE, 0, &cooc) == GLOVE_E_FORMAT && cooc == NULL, "corrupt native file");
    CHECK(glove_cooc_load(path, GLOVE_FORMAT_STANFORD, 0, &cooc) == GLOVE_E_FORMAT, "truncated Stanford file");
    remove(path);
    glove_vocab_free(vocab);
}

/* ---- training and queries -------------------------------------------- */

static int32_t count_epochs(uint32_t epoch, uint64_t step, double loss, double rate, void *user_data) {
    (void)step; (void)rate;
    int *seen = user_data;
    *seen = (int)epoch;
    return loss == loss && epoch >= 3 ? 1 : 0; /* stop after 3 epochs */
}

/* The basic corpus case's vocabulary and its co-occurrences. */
static void load_basic(const char *dir, glove_vocab **vocab, glove_cooc **cooc) {
    char corpus[1024], vocab_path[1024];
    snprintf(corpus, sizeof corpus, "%s/corpus/basic/corpus.txt", dir);
    snprintf(vocab_path, sizeof vocab_path, "%s/corpus/basic/vocab.txt", dir);
    const char *paths[1] = {corpus};
    glove_vocab_load(vocab_path, NULL, vocab);
    glove_cooc_count_files(*vocab, paths, 1, NULL, NULL, NULL, cooc);
}

/* Trains `seed` with SGD on the basic corpus in one batch of 8,192, which
 * holds every entry: the threads train it together. */
static glove_model *train_shared(const char *dir, uint32_t threads) {
    glove_vocab *vocab = NULL;
    glove_cooc *cooc = NULL;
    glove_model *model = NULL;
    load_basic(dir, &vocab, &cooc);
    uint64_t dimension = 0, nnz = 0;
    glove_cooc_size(cooc, &dimension, &nnz);
    /* seed trains each unordered pair once: at most (nnz + dimension) / 2 entries. */
    CHECK(nnz > 0 && (nnz + dimension) / 2 <= 8192, "basic corpus entries: %llu", (unsigned long long)nnz);
    glove_train_params tp = glove_train_default_params();
    tp.dim = 12;
    tp.epochs = 4;
    tp.threads = threads;
    tp.seed = 3;
    tp.batch_size = 8192;
    tp.optimizer = GLOVE_OPTIMIZER_SGD;
    CHECK(glove_model_train(cooc, vocab, &tp, NULL, NULL, &model) == GLOVE_OK, "train: %s", glove_last_error_message());
    glove_cooc_free(cooc);
    glove_vocab_free(vocab);
    return model;
}

/* Threads sharing batches of 8,192 or more repeat to the bit, and with the
 * whole epoch in one batch they take one thread's steps (sums added in
 * another order). */
static void test_shared_batches(const char *dir) {
    glove_model *one = train_shared(dir, 1), *two = train_shared(dir, 2), *again = train_shared(dir, 2),
                *three = train_shared(dir, 3);
    size_t rows = 0, words = 0;
    uint32_t dim = 0;
    glove_model_size(one, &rows, &words, &dim);
    size_t n = rows * dim;
    float *v[4];
    glove_model *models[4] = {one, two, again, three};
    for (int m = 0; m < 4; m++) {
        v[m] = malloc(n * sizeof *v[m]);
        CHECK(glove_model_vectors(models[m], v[m], n, NULL) == GLOVE_OK, "vectors %d", m);
    }
    CHECK(memcmp(v[1], v[2], n * sizeof *v[1]) == 0, "2 threads twice: same vectors");
    double gap2 = 0, gap3 = 0;
    for (size_t k = 0; k < n; k++) {
        gap2 = fmax(gap2, fabs((double)v[1][k] - v[0][k]));
        gap3 = fmax(gap3, fabs((double)v[3][k] - v[0][k]));
    }
    CHECK(gap2 < 1e-5 && gap3 < 1e-5, "shared batches take one thread's steps: %g, %g", gap2, gap3);
    for (int m = 0; m < 4; m++) {
        free(v[m]);
        glove_model_free(models[m]);
    }
}

static glove_model *train_basic(const char *dir, uint32_t threads, uint64_t seed, int32_t objective, int *epochs_seen) {
    glove_vocab *vocab = NULL;
    glove_cooc *cooc = NULL;
    glove_model *model = NULL;
    load_basic(dir, &vocab, &cooc);
    glove_train_params tp = glove_train_default_params();
    tp.dim = 12;
    tp.epochs = 5;
    tp.threads = threads;
    tp.seed = seed;
    tp.objective = objective;
    tp.batch_size = objective == GLOVE_OBJECTIVE_SEED ? 256 : 0;
    glove_status s = glove_model_train(cooc, vocab, &tp, epochs_seen ? count_epochs : NULL, epochs_seen, &model);
    CHECK(s == GLOVE_OK, "train: %s", glove_last_error_message());
    glove_cooc_free(cooc);
    glove_vocab_free(vocab);
    return model;
}

/* One thread's share of test_concurrent_queries: every row's neighbours, both similarities. */
typedef struct {
    glove_model *model;
    const float *vectors;
    size_t rows;
    int64_t *ids;
    float *scores;
    glove_status status;
} query_job;

static void *run_queries(void *arg) {
    query_job *job = arg;
    job->status = glove_model_neighbors(job->model, job->vectors, job->rows, 5, GLOVE_SIMILARITY_DOT, job->ids, job->scores);
    if (job->status == GLOVE_OK)
        job->status = glove_model_neighbors(job->model, job->vectors, job->rows, 5, GLOVE_SIMILARITY_COSINE,
                                            job->ids + job->rows * 5, job->scores + job->rows * 5);
    return NULL;
}

/* The header promises that any number of threads may query one model: 8 at
 * once get the single-threaded answers, to the bit. */
static void test_concurrent_queries(glove_model *model, const float *vectors, size_t rows) {
    enum { THREADS = 8 };
    query_job jobs[THREADS + 1];
    for (int t = 0; t <= THREADS; t++) {
        jobs[t] = (query_job){model, vectors, rows, malloc(2 * rows * 5 * sizeof(int64_t)), malloc(2 * rows * 5 * sizeof(float)),
                              GLOVE_E_INVALID_ARGUMENT};
    }
    run_queries(&jobs[THREADS]); /* the reference, alone */
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) pthread_create(&threads[t], NULL, run_queries, &jobs[t]);
    for (int t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);
    int same = jobs[THREADS].status == GLOVE_OK;
    for (int t = 0; t < THREADS; t++) {
        same = same && jobs[t].status == GLOVE_OK && memcmp(jobs[t].ids, jobs[THREADS].ids, 2 * rows * 5 * sizeof(int64_t)) == 0 &&
               memcmp(jobs[t].scores, jobs[THREADS].scores, 2 * rows * 5 * sizeof(float)) == 0;
    }
    CHECK(same, "8 threads querying one model get the single-threaded answers");
    for (int t = 0; t <= THREADS; t++) {
        free(jobs[t].ids);
        free(jobs[t].scores);
    }
}

static void test_models(const char *dir) {
    int seen = 0;
    glove_model *a = train_basic(dir, 1, 42, GLOVE_OBJECTIVE_SEED, &seen);
    glove_model *b = train_basic(dir, 1, 42, GLOVE_OBJECTIVE_SEED, NULL);
    glove_model *paper = train_basic(dir, 2, 7, GLOVE_OBJECTIVE_PAPER, NULL);
    size_t rows = 0, words = 0, n_losses = 0;
    uint32_t dim = 0;
    CHECK(glove_model_size(a, &rows, &words, &dim) == GLOVE_OK && rows == words && dim == 12, "model size");
    double losses[8];
    CHECK(glove_model_loss_history(a, losses, 8, &n_losses) == GLOVE_OK && n_losses == 3 && seen == 3,
          "callback stopped after 3 epochs (%zu losses)", n_losses);
    CHECK(losses[2] < losses[0], "loss decreases: %f -> %f", losses[0], losses[2]);
    size_t n_paper = 0;
    glove_model_loss_history(paper, NULL, 0, &n_paper);
    CHECK(n_paper == 5, "paper epochs %zu", n_paper);

    /* Deterministic: one thread and a seed give bit-identical vectors. */
    float *va = malloc(rows * dim * sizeof *va), *vb = malloc(rows * dim * sizeof *vb), *bias = malloc(rows * sizeof *bias);
    glove_model_vectors(a, va, rows * dim, bias);
    glove_model_vectors(b, vb, rows * dim, NULL);
    CHECK(memcmp(va, vb, rows * dim * sizeof *va) != 0, "5 epochs differ from 3");
    glove_model_free(b);
    b = train_basic(dir, 1, 42, GLOVE_OBJECTIVE_SEED, &seen);
    glove_model_vectors(b, vb, rows * dim, NULL);
    CHECK(memcmp(va, vb, rows * dim * sizeof *va) == 0, "same seed, same vectors");
    CHECK(glove_model_vectors(a, va, rows * dim - 1, NULL) == GLOVE_E_BUFFER_TOO_SMALL, "vectors buffer too small");

    /* Neighbours agree with a brute force over the exported vectors. */
    int64_t ids[5];
    float scores[5];
    size_t count = 0;
    int32_t known = 0;
    CHECK(glove_model_word_neighbors(a, "the", 3, 5, GLOVE_SIMILARITY_DOT, ids, scores, &count, &known) == GLOVE_OK &&
              count == 5 && known == 1, "word neighbours");
    glove_vocab *words_of = NULL;
    glove_model_vocab(a, &words_of);
    int64_t the = -1;
    glove_vocab_lookup(words_of, "the", 3, GLOVE_OOV_DROP, &the, NULL);
    /* The whole top 5, ids by score then id, scores to 1e-5 (brute force in double). */
    int64_t expect_ids[5];
    double expect_scores[5];
    for (int n = 0; n < 5; n++) {
        expect_ids[n] = -1;
        for (size_t r = 0; r < rows; r++) {
            int taken = (int64_t)r == the;
            for (int m = 0; m < n; m++) taken |= expect_ids[m] == (int64_t)r;
            if (taken) continue;
            double sc = 0;
            for (uint32_t k = 0; k < dim; k++) sc += (double)va[the * dim + k] * va[r * dim + k];
            if (expect_ids[n] < 0 || sc > expect_scores[n]) { expect_ids[n] = (int64_t)r; expect_scores[n] = sc; }
        }
    }
    int same = 1;
    for (int n = 0; n < 5; n++) same = same && ids[n] == expect_ids[n] && fabs(scores[n] - expect_scores[n]) < 1e-5;
    CHECK(same, "top 5 neighbours vs brute force: first %lld (%f) vs %lld (%f)", (long long)ids[0], scores[0],
          (long long)expect_ids[0], expect_scores[0]);
    int64_t batch_ids[10];
    float batch_scores[10];
    CHECK(glove_model_neighbors(a, va + the * dim, 1, 10, GLOVE_SIMILARITY_COSINE, batch_ids, batch_scores) == GLOVE_OK &&
              batch_ids[0] == the, "a vector's nearest row is itself");
    test_concurrent_queries(a, va, rows);
    CHECK(glove_model_analogy(a, "the", "of", "and", 3, GLOVE_ANALOGY_ADD, ids, scores, &count) == GLOVE_OK && count == 3,
          "analogy");
    CHECK(glove_model_analogy(a, "the", "of", "and", 3, GLOVE_ANALOGY_MUL, ids, scores, &count) == GLOVE_OK && count == 3,
          "analogy 3CosMul");
    float vec[12];
    CHECK(glove_model_vector(a, "the", 3, vec, 12, &known) == GLOVE_OK && known == 1 && vec[0] == va[the * dim], "vector");
    CHECK(glove_model_vector(a, "nonexistentword", 15, vec, 12, &known) == GLOVE_E_INVALID_ARGUMENT, "unknown word");

    /* Files: native round trip, text export and import, evaluation files. */
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[1024], text[1024], pairs[1024], questions[1024];
    snprintf(path, sizeof path, "%s/libglove-test-model.glove", tmp);
    snprintf(text, sizeof text, "%s/libglove-test-vectors.txt", tmp);
    snprintf(pairs, sizeof pairs, "%s/libglove-test-pairs.tsv", tmp);
    snprintf(questions, sizeof questions, "%s/libglove-test-questions.txt", tmp);
    glove_model *back = NULL;
    CHECK(glove_model_save(a, path) == GLOVE_OK && glove_model_load(path, &back) == GLOVE_OK, "model round trip");
    glove_model_vectors(back, vb, rows * dim, NULL);
    CHECK(memcmp(va, vb, rows * dim * sizeof *va) == 0, "loaded vectors equal");
    glove_model_free(back);
    CHECK(glove_model_export(a, text, GLOVE_VECTORS_GLOVE_TEXT) == GLOVE_OK && glove_model_import_text(text, &back) == GLOVE_OK,
          "text export and import");
    glove_model_vectors(back, vb, rows * dim, NULL);
    CHECK(vb[0] - va[0] < 1e-6f && va[0] - vb[0] < 1e-6f, "imported vectors");
    glove_model_free(back);
    CHECK(glove_model_export(a, text, GLOVE_VECTORS_WORD2VEC_BINARY) == GLOVE_OK, "word2vec binary export");
    FILE *f = fopen(pairs, "w");
    fputs("# comment\nthe of 5\nthe and 3\nof and 1\nthe nonexistentword 2\n", f);
    fclose(f);
    f = fopen(questions, "w");
    fputs(": one\nthe of and a\nthe of nonexistentword a\n", f);
    fclose(f);
    double rho = 0, accuracy = -1;
    size_t covered = 0, total = 0;
    CHECK(glove_model_evaluate_similarity(a, pairs, &rho, &covered, &total) == GLOVE_OK && covered == 3 && total == 4 &&
              rho >= -1 && rho <= 1, "similarity evaluation");
    CHECK(glove_model_evaluate_analogies(a, questions, &accuracy, &covered, &total) == GLOVE_OK && covered == 1 && total == 2 &&
              (accuracy == 0 || accuracy == 1), "analogy evaluation");
    f = fopen(path, "r+b");
    fseek(f, 100, SEEK_SET);
    fputc('X', f);
    fclose(f);
    CHECK(glove_model_load(path, &back) == GLOVE_E_FORMAT && back == NULL, "corrupt model: %s", glove_last_error_message());
    remove(path); remove(text); remove(pairs); remove(questions);

    /* Errors. */
    glove_train_params tp = glove_train_default_params();
    tp.dim = 0;
    glove_model *none = NULL;
    glove_cooc *cooc = NULL;
    const int32_t one_id[1] = {0};
    glove_cooc_count_ids(one_id, 1, 1, NULL, &cooc);
    CHECK(glove_model_train(cooc, words_of, &tp, NULL, NULL, &none) == GLOVE_E_INVALID_ARGUMENT && none == NULL, "dim 0");
    CHECK(strstr(glove_last_error_message(), "dim must be in 1...4096 (got 0)") != NULL, "dim message");
    glove_cooc_free(cooc);
    /* Divergence is reported as a numeric error. */
    const int32_t pair_ids[6] = {0, 1, 0, 1, 1, 0};
    const char *two[2] = {"x", "y"};
    const uint64_t counts[2] = {3, 3};
    glove_vocab *xy = NULL;
    glove_vocab_create(two, counts, 2, NULL, &xy);
    glove_cooc_count_ids(pair_ids, 6, 2, NULL, &cooc);
    tp = glove_train_default_params();
    tp.learning_rate = 1e30f;
    tp.optimizer = GLOVE_OPTIMIZER_SGD;
    tp.dim = 4;
    tp.threads = 1;
    CHECK(glove_model_train(cooc, xy, &tp, NULL, NULL, &none) == GLOVE_E_NUMERIC && none == NULL, "divergence: %s",
          glove_last_error_message());
    CHECK(glove_model_train(cooc, words_of, NULL, NULL, NULL, &none) == GLOVE_E_INVALID_ARGUMENT, "matrix/vocabulary mismatch");
    glove_cooc_free(cooc);
    glove_vocab_free(xy);

    glove_vocab_free(words_of);
    free(va); free(vb); free(bias);
    glove_model_free(a);
    glove_model_free(b);
    glove_model_free(paper);
}

/* Stops after 2 epochs. */
static int32_t stop_at_two(uint32_t epoch, uint64_t step, double loss, double rate, void *user_data) {
    (void)step; (void)loss; (void)rate; (void)user_data;
    return epoch >= 2;
}

/* A run stopped by its callback and run again from its checkpoint ends with
 * the vectors of an uninterrupted run (one thread). */
static void test_checkpoints(const char *dir) {
    char ckpt[1024];
    snprintf(ckpt, sizeof ckpt, "%s/libglove-test-%d.ckpt", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    glove_vocab *vocab = NULL;
    glove_cooc *cooc = NULL;
    load_basic(dir, &vocab, &cooc);
    glove_train_params tp = glove_train_default_params();
    tp.dim = 12;
    tp.epochs = 5;
    tp.threads = 1;
    tp.objective = GLOVE_OBJECTIVE_PAPER;
    glove_model *whole = NULL, *stopped = NULL, *resumed = NULL, *none = NULL;
    remove(ckpt);
    CHECK(glove_model_train(cooc, vocab, &tp, NULL, NULL, &whole) == GLOVE_OK, "uninterrupted run");
    CHECK(glove_model_train_resumable(cooc, vocab, &tp, ckpt, 1, stop_at_two, NULL, &stopped) == GLOVE_OK,
          "stopped run: %s", glove_last_error_message());
    CHECK(glove_model_train_resumable(cooc, vocab, &tp, ckpt, 2, NULL, NULL, &resumed) == GLOVE_OK,
          "resumed run: %s", glove_last_error_message());
    size_t rows = 0, n_stopped = 0, n_resumed = 0;
    uint32_t dim = 0;
    glove_model_size(whole, &rows, NULL, &dim);
    glove_model_loss_history(stopped, NULL, 0, &n_stopped);
    glove_model_loss_history(resumed, NULL, 0, &n_resumed);
    CHECK(n_stopped == 2 && n_resumed == 5, "epochs: stopped %zu, resumed %zu", n_stopped, n_resumed);
    float *a = malloc(rows * dim * sizeof *a), *b = malloc(rows * dim * sizeof *b);
    glove_model_vectors(whole, a, rows * dim, NULL);
    glove_model_vectors(resumed, b, rows * dim, NULL);
    CHECK(memcmp(a, b, rows * dim * sizeof *a) == 0, "resumed vectors equal the uninterrupted run's");

    tp.seed = 99;
    CHECK(glove_model_train_resumable(cooc, vocab, &tp, ckpt, 1, NULL, NULL, &none) == GLOVE_E_INVALID_ARGUMENT &&
              none == NULL && strstr(glove_last_error_message(), "seed") != NULL,
          "a checkpoint of another seed is refused: %s", glove_last_error_message());
    tp.seed = 1;
    CHECK(glove_model_train_resumable(cooc, vocab, &tp, ckpt, 0, NULL, NULL, &none) == GLOVE_E_INVALID_ARGUMENT,
          "checkpoint_every 0");
    CHECK(glove_model_train_resumable(cooc, vocab, &tp, NULL, 1, NULL, NULL, &none) == GLOVE_E_INVALID_ARGUMENT,
          "NULL checkpoint path");
    FILE *f = fopen(ckpt, "r+b");
    fseek(f, 200, SEEK_SET);
    int byte = fgetc(f);
    fseek(f, 200, SEEK_SET);
    fputc(byte ^ 0x5a, f);
    fclose(f);
    CHECK(glove_model_train_resumable(cooc, vocab, &tp, ckpt, 1, NULL, NULL, &none) == GLOVE_E_FORMAT && none == NULL,
          "a damaged checkpoint is refused: %s", glove_last_error_message());
    f = fopen(ckpt, "r+b");  /* a shuffle count past INT64_MAX (bytes 80..87) */
    fseek(f, 80, SEEK_SET);
    fwrite("\xff\xff\xff\xff\xff\xff\xff\xff", 1, 8, f);
    fclose(f);
    CHECK(glove_model_train_resumable(cooc, vocab, &tp, ckpt, 1, NULL, NULL, &none) == GLOVE_E_FORMAT && none == NULL,
          "a checkpoint with a huge shuffle count is refused: %s", glove_last_error_message());
    remove(ckpt);
    free(a); free(b);
    glove_model_free(whole);
    glove_model_free(stopped);
    glove_model_free(resumed);
    glove_cooc_free(cooc);
    glove_vocab_free(vocab);
}

/* Copies a model's vectors into a new buffer; stores the row count and dimension. */
static float *copy_vectors(const glove_model *model, size_t *rows, uint32_t *dim) {
    glove_model_size(model, rows, NULL, dim);
    float *v = malloc(*rows * *dim * sizeof *v);
    glove_model_vectors(model, v, *rows * *dim, NULL);
    return v;
}

/* Training streamed from a file: bit-identical across runs with one thread,
 * as many entries and about the loss of training in memory, resumable to the
 * uninterrupted run's vectors; damaged files and bad arguments are refused. */
static void test_streamed_training(const char *dir) {
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char native[1024], stanford[1024], ckpt[1024];
    snprintf(native, sizeof native, "%s/libglove-stream-%d.glc", tmp, (int)getpid());
    snprintf(stanford, sizeof stanford, "%s/libglove-stream-%d.bin", tmp, (int)getpid());
    snprintf(ckpt, sizeof ckpt, "%s/libglove-stream-%d.ckpt", tmp, (int)getpid());
    glove_vocab *vocab = NULL;
    glove_cooc *cooc = NULL;
    load_basic(dir, &vocab, &cooc);
    CHECK(glove_cooc_save(cooc, native, GLOVE_FORMAT_NATIVE) == GLOVE_OK, "save native");
    CHECK(glove_cooc_save(cooc, stanford, GLOVE_FORMAT_STANFORD) == GLOVE_OK, "save stanford");
    glove_train_params tp = glove_train_default_params();
    tp.dim = 12;
    tp.epochs = 4;
    tp.threads = 1;
    for (int32_t objective = GLOVE_OBJECTIVE_SEED; objective <= GLOVE_OBJECTIVE_PAPER; objective++) {
        tp.objective = objective;
        tp.batch_size = objective == GLOVE_OBJECTIVE_SEED ? 128 : 0;
        glove_model *held = NULL, *a = NULL, *b = NULL, *stopped = NULL, *resumed = NULL;
        CHECK(glove_model_train(cooc, vocab, &tp, NULL, NULL, &held) == GLOVE_OK, "in memory");
        const char *files[2] = {native, stanford};
        for (int32_t format = GLOVE_FORMAT_STANFORD; format <= GLOVE_FORMAT_NATIVE; format++) {
            const char *path = files[format == GLOVE_FORMAT_STANFORD];
            CHECK(glove_model_train_file(path, format, vocab, &tp, 0, NULL, NULL, 0, NULL, NULL, &a) == GLOVE_OK &&
                      glove_model_train_file(path, format, vocab, &tp, 1 << 20, tmp, NULL, 0, NULL, NULL, &b) == GLOVE_OK,
                  "streamed (format %d): %s", format, glove_last_error_message());
            size_t rows = 0, n = 0, n_held = 0;
            uint32_t dim = 0;
            float *va = copy_vectors(a, &rows, &dim), *vb = copy_vectors(b, &rows, &dim);
            CHECK(memcmp(va, vb, rows * dim * sizeof *va) == 0, "one thread: bit-identical (format %d)", format);
            double la[4], lh[4];
            glove_model_loss_history(a, la, 4, &n);
            glove_model_loss_history(held, lh, 4, &n_held);
            CHECK(n == 4 && n_held == 4 && la[3] < la[0] && fabs(la[3] - lh[3]) < 0.25 * lh[3],
                  "objective %d format %d: streamed loss %g, in memory %g", objective, format, la[3], lh[3]);
            free(va); free(vb);
            glove_model_free(a); glove_model_free(b);
        }
        remove(ckpt);
        CHECK(glove_model_train_file(native, GLOVE_FORMAT_NATIVE, vocab, &tp, 0, NULL, NULL, 0, NULL, NULL, &a) == GLOVE_OK &&
                  glove_model_train_file(native, GLOVE_FORMAT_NATIVE, vocab, &tp, 0, NULL, ckpt, 1, stop_at_two, NULL,
                                         &stopped) == GLOVE_OK &&
                  glove_model_train_file(native, GLOVE_FORMAT_NATIVE, vocab, &tp, 0, NULL, ckpt, 1, NULL, NULL,
                                         &resumed) == GLOVE_OK,
              "checkpointed streamed runs: %s", glove_last_error_message());
        size_t rows = 0, n_resumed = 0;
        uint32_t dim = 0;
        float *va = copy_vectors(a, &rows, &dim), *vr = copy_vectors(resumed, &rows, &dim);
        glove_model_loss_history(resumed, NULL, 0, &n_resumed);
        CHECK(n_resumed == 4 && memcmp(va, vr, rows * dim * sizeof *va) == 0, "resumed streamed run equals the uninterrupted one");
        free(va); free(vr);
        remove(ckpt);
        glove_model_free(held); glove_model_free(a); glove_model_free(stopped); glove_model_free(resumed);
    }
    glove_model *none = NULL;
    CHECK(glove_model_train_file(native, 7, vocab, &tp, 0, NULL, NULL, 0, NULL, NULL, &none) == GLOVE_E_INVALID_ARGUMENT &&
              none == NULL, "bad format");
    CHECK(glove_model_train_file(native, GLOVE_FORMAT_NATIVE, vocab, &tp, 1000, NULL, NULL, 0, NULL, NULL, &none) ==
              GLOVE_E_INVALID_ARGUMENT, "memory_limit below 1 MiB");
    CHECK(glove_model_train_file(NULL, GLOVE_FORMAT_NATIVE, vocab, &tp, 0, NULL, NULL, 0, NULL, NULL, &none) ==
              GLOVE_E_INVALID_ARGUMENT, "NULL path");
    CHECK(glove_model_train_file(native, GLOVE_FORMAT_NATIVE, vocab, &tp, 0, "/nonexistent-dir", NULL, 0, NULL, NULL,
                                 &none) == GLOVE_E_IO, "unwritable temp_dir: %s", glove_last_error_message());
    FILE *f = fopen(native, "r+b");
    fseek(f, 40, SEEK_SET);
    int byte = fgetc(f);
    fseek(f, 40, SEEK_SET);
    fputc(byte ^ 0x5a, f);
    fclose(f);
    CHECK(glove_model_train_file(native, GLOVE_FORMAT_NATIVE, vocab, &tp, 0, NULL, NULL, 0, NULL, NULL, &none) ==
              GLOVE_E_FORMAT && none == NULL && strstr(glove_last_error_message(), "checksum") != NULL,
          "a damaged file is refused: %s", glove_last_error_message());
    remove(native);
    remove(stanford);
    glove_cooc_free(cooc);
    glove_vocab_free(vocab);
}

/* Spelling-aware training: an unseen word's vector is the sum of its k
 * full-scheme bucket rows (computed here from glove_minhash_signature), the
 * model file keeps it, and a params struct of the older size trains plain rows. */
static void test_subword_training(const char *dir) {
    glove_vocab *vocab = NULL;
    glove_cooc *cooc = NULL;
    load_basic(dir, &vocab, &cooc);
    glove_train_params tp = glove_train_default_params_v2();  /* what the glove_train_default_params macro calls */
    CHECK(tp.struct_size == sizeof tp && tp.subword_hashes == 0 && tp.subword_buckets == 131072, "defaults");
    tp.dim = 12;
    tp.epochs = 4;
    tp.threads = 1;
    tp.objective = GLOVE_OBJECTIVE_PAPER;
    tp.subword_hashes = 2;
    tp.subword_buckets = 64;
    glove_model *model = NULL, *back = NULL, *plain = NULL, *none = NULL;
    CHECK(glove_model_train(cooc, vocab, &tp, NULL, NULL, &model) == GLOVE_OK, "subword training: %s",
          glove_last_error_message());
    size_t rows = 0, words = 0;
    uint32_t dim = 0;
    glove_model_size(model, &rows, &words, &dim);
    CHECK(rows == words + 64 && dim == 12, "rows %zu = words %zu + 64 buckets", rows, words);
    float *all = malloc(rows * dim * sizeof *all), got[12], again[12], expected[12] = {0};
    glove_model_vectors(model, all, rows * dim, NULL);
    glove_minhash_params mp = glove_minhash_default_params();
    mp.scheme = GLOVE_MINHASH_FULL;
    mp.num_buckets = 64;
    mp.num_hashes = 2;
    glove_minhash *mh = NULL;
    uint32_t minima[2];
    CHECK(glove_minhash_create(&mp, &mh) == GLOVE_OK && glove_minhash_signature(mh, "unseenword", 10, minima, 2) == GLOVE_OK,
          "signature");
    for (int t = 0; t < 2; t++)
        for (uint32_t k = 0; k < dim; k++) expected[k] += all[(words + minima[t] % 64) * dim + k];
    int32_t in_vocabulary = 1;
    CHECK(glove_model_vector(model, "unseenword", 10, got, 12, &in_vocabulary) == GLOVE_OK && in_vocabulary == 0 &&
              memcmp(got, expected, sizeof got) == 0,
          "an unseen word's vector sums its bucket rows");
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[1024];
    snprintf(path, sizeof path, "%s/libglove-subword-%d.glove", tmp, (int)getpid());
    CHECK(glove_model_save(model, path) == GLOVE_OK && glove_model_load(path, &back) == GLOVE_OK &&
              glove_model_vector(back, "unseenword", 10, again, 12, NULL) == GLOVE_OK && memcmp(got, again, sizeof got) == 0,
          "the model file keeps the subword hashes: %s", glove_last_error_message());
    remove(path);
    /* A program built against the first layout calls the symbol glove_train_default_params
     * (the header now maps that name to _v2): it gets 56 bytes and trains one row per word. */
    glove_train_params_v1 (*first_layout)(void) = NULL;
    void *self = dlopen(NULL, RTLD_NOW);
    *(void **)&first_layout = dlsym(self, "glove_train_default_params");  /* POSIX's idiom for function pointers */
    CHECK(first_layout != NULL, "the symbol of the first layout is exported");
    glove_train_params_v1 old = first_layout();
    CHECK(old.struct_size == sizeof old && sizeof old == 56 && old.dim == 50 && old.seed == 1, "first layout defaults");
    old.dim = 12;
    old.epochs = 1;
    old.threads = 1;
    CHECK(glove_model_train(cooc, vocab, (const glove_train_params *)&old, NULL, NULL, &plain) == GLOVE_OK,
          "older params size: %s", glove_last_error_message());
    glove_model_size(plain, &rows, NULL, NULL);
    CHECK(rows == words, "the older params struct trains one row per word (%zu rows)", rows);
    tp = glove_train_default_params();
    tp.subword_hashes = 17;
    CHECK(glove_model_train(cooc, vocab, &tp, NULL, NULL, &none) == GLOVE_E_INVALID_ARGUMENT && none == NULL &&
              strstr(glove_last_error_message(), "subword_hashes") != NULL,
          "17 subword hashes: %s", glove_last_error_message());
    dlclose(self);
    free(all);
    glove_minhash_free(mh);
    glove_model_free(model);
    glove_model_free(back);
    glove_model_free(plain);
    glove_cooc_free(cooc);
    glove_vocab_free(vocab);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s VECTORS_DIR\n", argv[0]); return 2; }
    vector_row *rows;
    char path[1024];
    snprintf(path, sizeof path, "%s/minhash.tsv", argv[1]);
    size_t n = load_vectors(path, &rows);
    CHECK(n >= 1000, "only %zu vectors", n);
    test_versions();
    test_vectors(rows, n);
    test_errors();
    test_corpus(argv[1]);
    test_models(argv[1]);
    test_shared_batches(argv[1]);
    test_checkpoints(argv[1]);
    test_streamed_training(argv[1]);
    test_subword_training(argv[1]);
    test_bilinear(argv[1]);
    test_refusals();
    for (size_t i = 0; i < n; i++) free(rows[i].bytes);
    free(rows);
    printf("c: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
