/* Every fallible exported function, called with NULL handles, NULL output
 * pointers, a handle of the wrong type, a freed handle or a params struct of
 * unknown size: each must return an error status with a message that names
 * it, and never crash. */
#include <glove.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"

/* The call must fail with a message that starts with the function's name. */
#define REFUSE(name, call)                                                                         \
    do {                                                                                           \
        glove_status s_ = (call);                                                                  \
        CHECK(s_ < 0 && strncmp(glove_last_error_message(), name, strlen(name)) == 0,              \
              "%s was not refused properly (status %d, message '%s')", name, (int)s_,             \
              glove_last_error_message());                                                         \
    } while (0)

static void refuse_handles(glove_minhash *mh, glove_vocab *vocab, glove_cooc *cooc, glove_model *model,
                           glove_features *features, glove_bilinear *bil) {
    uint32_t u32[4] = {0}, out32[4];
    uint64_t u64 = 0;
    size_t n = 0;
    int32_t i32 = 0;
    int64_t i64[4];
    float f[64] = {0};
    double d[4];
    const char *text = NULL;
    const char *word = "a";
    glove_minhash_params mp;
    glove_ranking_metrics metrics;
    glove_vocab *vocab_out = NULL;
    glove_cooc *cooc_out = NULL;
    glove_model *model_out = NULL;
    glove_bilinear *bil_out = NULL;
    const char *paths[1] = {"/dev/null"};

    REFUSE("glove_minhash_get_params", glove_minhash_get_params(mh, &mp));
    REFUSE("glove_minhash_bucket", glove_minhash_bucket(mh, word, 1, out32));
    REFUSE("glove_minhash_buckets", glove_minhash_buckets(mh, &word, NULL, 1, out32));
    REFUSE("glove_minhash_buckets_delimited", glove_minhash_buckets_delimited(mh, "a", 1, '\n', out32, 4, &n));
    REFUSE("glove_minhash_signature", glove_minhash_signature(mh, word, 1, out32, 4));
    REFUSE("glove_minhash_jaccard", glove_minhash_jaccard(mh, word, 1, word, 1, d));
    REFUSE("glove_vocab_save", glove_vocab_save(vocab, "/tmp/never.txt"));
    REFUSE("glove_vocab_size", glove_vocab_size(vocab, &n, &n));
    REFUSE("glove_vocab_word", glove_vocab_word(vocab, 0, &text, &n, &u64));
    REFUSE("glove_vocab_lookup", glove_vocab_lookup(vocab, word, 1, GLOVE_OOV_BUCKET, i64, &i32));
    REFUSE("glove_cooc_count_files", glove_cooc_count_files(vocab, paths, 1, NULL, NULL, NULL, &cooc_out));
    REFUSE("glove_cooc_merge", glove_cooc_merge(cooc, cooc, &cooc_out));
    REFUSE("glove_cooc_size", glove_cooc_size(cooc, &u64, &u64));
    REFUSE("glove_cooc_triples", glove_cooc_triples(cooc, u32, u32, d, 4, &n));
    REFUSE("glove_cooc_save", glove_cooc_save(cooc, "/tmp/never.glc", GLOVE_FORMAT_NATIVE));
    REFUSE("glove_model_train", glove_model_train(cooc, vocab, NULL, NULL, NULL, &model_out));
    REFUSE("glove_model_train_resumable",
           glove_model_train_resumable(cooc, vocab, NULL, "/tmp/never.ckpt", 1, NULL, NULL, &model_out));
    REFUSE("glove_model_train_file", glove_model_train_file("/dev/null", GLOVE_FORMAT_NATIVE, vocab, NULL, 0, NULL, NULL, 1,
                                                            NULL, NULL, &model_out));
    REFUSE("glove_model_save", glove_model_save(model, "/tmp/never.glove"));
    REFUSE("glove_model_export", glove_model_export(model, "/tmp/never.txt", 0));
    REFUSE("glove_model_size", glove_model_size(model, &n, &n, u32));
    REFUSE("glove_model_vocab", glove_model_vocab(model, &vocab_out));
    REFUSE("glove_model_vectors", glove_model_vectors(model, f, 64, f));
    REFUSE("glove_model_vector", glove_model_vector(model, word, 1, f, 64, &i32));
    REFUSE("glove_model_neighbors", glove_model_neighbors(model, f, 1, 1, GLOVE_SIMILARITY_DOT, i64, f));
    REFUSE("glove_model_word_neighbors", glove_model_word_neighbors(model, word, 1, 1, 0, i64, f, &n, &i32));
    REFUSE("glove_model_analogy", glove_model_analogy(model, word, word, word, 1, 0, i64, f, &n));
    REFUSE("glove_model_loss_history", glove_model_loss_history(model, d, 4, &n));
    REFUSE("glove_model_evaluate_similarity", glove_model_evaluate_similarity(model, "/dev/null", d, &n, &n));
    REFUSE("glove_model_evaluate_analogies", glove_model_evaluate_analogies(model, "/dev/null", d, &n, &n));
    REFUSE("glove_features_size", glove_features_size(features, &n, &n, &n));
    REFUSE("glove_bilinear_fit", glove_bilinear_fit(features, features, u32, u32, NULL, 1, NULL, NULL, NULL, &bil_out));
    REFUSE("glove_bilinear_save", glove_bilinear_save(bil, "/tmp/never.glbl"));
    REFUSE("glove_bilinear_info", glove_bilinear_info(bil, &i32, &n, &n, &n, &n));
    REFUSE("glove_bilinear_add_items", glove_bilinear_add_items(bil, features));
    REFUSE("glove_bilinear_score", glove_bilinear_score(bil, features, u32, u32, 1, f));
    REFUSE("glove_bilinear_recommend", glove_bilinear_recommend(bil, features, NULL, NULL, 1, 0, out32, f));
    REFUSE("glove_bilinear_evaluate", glove_bilinear_evaluate(bil, features, u32, u32, 1, u32, u32, 1, 5, &metrics));
    REFUSE("glove_bilinear_loss_history", glove_bilinear_loss_history(bil, d, 4, &n));
    REFUSE("glove_bilinear_item_vectors", glove_bilinear_item_vectors(bil, f, 64, f));
    REFUSE("glove_bilinear_user_vectors", glove_bilinear_user_vectors(bil, features, f, 64, f));
    CHECK(vocab_out == NULL && cooc_out == NULL && model_out == NULL && bil_out == NULL, "no object came out of a refused call");
}

void test_refusals(void) {
    /* 1. NULL everywhere a handle goes. */
    refuse_handles(NULL, NULL, NULL, NULL, NULL, NULL);

    /* 2. Live handles of the wrong type (a min-hash passed as every other type and the reverse). */
    glove_minhash *mh = NULL;
    CHECK(glove_minhash_create(NULL, &mh) == GLOVE_OK, "minhash");
    float one = 1;
    glove_features *features = NULL;
    CHECK(glove_features_create_dense(&one, 1, 1, &features) == GLOVE_OK, "features");
    refuse_handles((glove_minhash *)features, (glove_vocab *)mh, (glove_cooc *)mh, (glove_model *)mh,
                   (glove_features *)mh, (glove_bilinear *)mh);

    /* 3. Freed handles. */
    glove_minhash_free(mh);
    glove_features_free(features);
    refuse_handles(mh, (glove_vocab *)mh, (glove_cooc *)mh, (glove_model *)mh, features, (glove_bilinear *)features);
    glove_minhash_free(mh);        /* freeing twice is ignored */
    glove_features_free(features);

    /* 4. NULL output pointers and NULL paths for the constructors. */
    REFUSE("glove_minhash_create", glove_minhash_create(NULL, NULL));
    REFUSE("glove_vocab_build", glove_vocab_build(NULL, 1, NULL, NULL, NULL, NULL, NULL));
    REFUSE("glove_vocab_create", glove_vocab_create(NULL, NULL, 1, NULL, NULL));
    REFUSE("glove_vocab_load", glove_vocab_load(NULL, NULL, NULL));
    REFUSE("glove_cooc_count_ids", glove_cooc_count_ids(NULL, 1, 1, NULL, NULL));
    REFUSE("glove_cooc_count_corpus", glove_cooc_count_corpus(NULL, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
    REFUSE("glove_cooc_load", glove_cooc_load(NULL, GLOVE_FORMAT_NATIVE, 0, NULL));
    REFUSE("glove_cooc_shuffle_file", glove_cooc_shuffle_file(NULL, NULL, 0, 1 << 20, NULL));
    REFUSE("glove_model_load", glove_model_load(NULL, NULL));
    REFUSE("glove_model_import_text", glove_model_import_text(NULL, NULL));
    REFUSE("glove_features_create_dense", glove_features_create_dense(NULL, 1, 1, NULL));
    REFUSE("glove_features_create_csr", glove_features_create_csr(1, 1, NULL, NULL, NULL, 0, NULL));
    REFUSE("glove_features_load", glove_features_load(NULL, 0, NULL));
    REFUSE("glove_bilinear_load", glove_bilinear_load(NULL, NULL));
    REFUSE("glove_ranking_metrics_from_scores",
           glove_ranking_metrics_from_scores(NULL, 1, 1, NULL, NULL, 0, NULL, NULL, 0, 5, NULL));

    /* 5. Sizes that wrap (a negative value cast to size_t), NaN inputs, unknown struct sizes. */
    glove_features *out = NULL;
    REFUSE("glove_features_create_dense", glove_features_create_dense(&one, (size_t)-1, 2, &out));
    float nan_value = NAN;
    REFUSE("glove_features_create_dense", glove_features_create_dense(&nan_value, 1, 1, &out));
    glove_minhash_params mp = glove_minhash_default_params();
    mp.struct_size = 0;
    REFUSE("glove_minhash_create", glove_minhash_create(&mp, &mh));
    glove_vocab_params vp = glove_vocab_default_params();
    vp.struct_size = 1;
    const char *paths[1] = {"/dev/null"};
    glove_vocab *vocab = NULL;
    REFUSE("glove_vocab_build", glove_vocab_build(paths, 1, &vp, NULL, NULL, NULL, &vocab));
    glove_cooc_params cp = glove_cooc_default_params();
    cp.struct_size = 7;
    int32_t ids[2] = {0, 1};
    glove_cooc *cooc = NULL;
    REFUSE("glove_cooc_count_ids", glove_cooc_count_ids(ids, 2, 2, &cp, &cooc));
    REFUSE("glove_cooc_count_corpus", glove_cooc_count_corpus(paths, 1, &vp, NULL, NULL, NULL, NULL, &vocab, &cooc));
    REFUSE("glove_cooc_count_corpus", glove_cooc_count_corpus(paths, 1, NULL, NULL, &cp, NULL, NULL, &vocab, &cooc));
    CHECK(vocab == NULL && cooc == NULL, "a refused glove_cooc_count_corpus left its outputs NULL");
    vp = glove_vocab_default_params();
    vp.mode = GLOVE_MODE_PRETOKENIZED;
    REFUSE("glove_cooc_count_corpus", glove_cooc_count_corpus(paths, 1, &vp, NULL, NULL, NULL, NULL, &vocab, &cooc));
    CHECK(strstr(glove_last_error_message(), "tokenizer modes") != NULL, "mode mismatch message: %s", glove_last_error_message());
    vocab = (glove_vocab *)&vp; /* not NULL: a refused call must clear it even when out_cooc is NULL */
    REFUSE("glove_cooc_count_corpus", glove_cooc_count_corpus(paths, 1, NULL, NULL, NULL, NULL, NULL, &vocab, NULL));
    CHECK(vocab == NULL, "glove_cooc_count_corpus left out_vocab set when out_cooc was NULL");
    cp = glove_cooc_default_params();
    cp.mode = GLOVE_MODE_PRETOKENIZED; /* NULL vocab_params take params->mode */
    CHECK(glove_cooc_count_corpus(paths, 1, NULL, NULL, &cp, NULL, NULL, &vocab, &cooc) == GLOVE_OK,
          "count_corpus with NULL vocab_params and a pretokenized mode: %s", glove_last_error_message());
    glove_vocab_free(vocab);
    glove_cooc_free(cooc);
    vocab = NULL;
    cooc = NULL;

    /* 6. Thread counts beyond 1024 (a negative int from a binding wraps to 4294967295). */
    vp = glove_vocab_default_params();
    vp.threads = UINT32_MAX;
    REFUSE("glove_vocab_build", glove_vocab_build(paths, 1, &vp, NULL, NULL, NULL, &vocab));
    cp = glove_cooc_default_params();
    cp.threads = 1025;
    REFUSE("glove_cooc_count_ids", glove_cooc_count_ids(ids, 2, 2, &cp, &cooc));

    /* 7. A Stanford co-occurrence file with a negative value is malformed. */
    char path[256];
    snprintf(path, sizeof path, "%s/libglove-negative-%d.bin", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    FILE *f = fopen(path, "wb");
    int32_t record_ids[2] = {1, 2};
    double value = -1;
    fwrite(record_ids, sizeof record_ids, 1, f);
    fwrite(&value, sizeof value, 1, f);
    fclose(f);
    CHECK(glove_cooc_load(path, GLOVE_FORMAT_STANFORD, 0, &cooc) == GLOVE_E_FORMAT &&
              strstr(glove_last_error_message(), "positive") != NULL, "negative value: %s", glove_last_error_message());
    remove(path);
    CHECK(out == NULL && vocab == NULL && cooc == NULL, "no object came out of a refused call");

    /* 8. Strings that are not valid UTF-8, words with line breaks, sizes that overflow, FIFOs as destinations. */
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    const char *words[3] = {"the", "of", "a"};
    uint64_t counts[3] = {3, 2, 1};
    CHECK(glove_vocab_create(words, counts, 3, NULL, &vocab) == GLOVE_OK, "vocab");
    snprintf(path, sizeof path, "%s/libglove-caf\xe9-%d.txt", tmp, (int)getpid());
    CHECK(glove_vocab_save(vocab, path) == GLOVE_E_INVALID_ARGUMENT && access(path, F_OK) != 0 &&
              strstr(glove_last_error_message(), "UTF-8") != NULL,
          "a path that is not UTF-8 is refused: %s", glove_last_error_message());
    const char *latin1[2] = {"caf\xe9", "of"}, *broken[2] = {"a\nb", "of"};
    glove_vocab *refused = NULL;
    CHECK(glove_vocab_create(latin1, counts, 2, NULL, &refused) == GLOVE_E_INVALID_ARGUMENT && refused == NULL,
          "a word that is not UTF-8 is refused");
    CHECK(glove_vocab_create(broken, counts, 2, NULL, &refused) == GLOVE_E_INVALID_ARGUMENT && refused == NULL,
          "a word with a line break is refused");
    snprintf(path, sizeof path, "%s/libglove-fifo-%d", tmp, (int)getpid());
    CHECK(mkfifo(path, 0600) == 0, "mkfifo");
    CHECK(glove_vocab_save(vocab, path) == GLOVE_E_IO && strstr(glove_last_error_message(), "not a regular file") != NULL,
          "a FIFO destination is refused: %s", glove_last_error_message());
    remove(path);

    snprintf(path, sizeof path, "%s/libglove-vectors-%d.txt", tmp, (int)getpid());
    f = fopen(path, "wb");
    fputs("3 2\r\nthe 1 2\r\nof 3 4\r\na 5 1\r\n", f);
    fclose(f);
    glove_model *model = NULL;
    CHECK(glove_model_import_text(path, &model) == GLOVE_OK, "CRLF text vectors: %s", glove_last_error_message());
    f = fopen(path, "wb");
    fputs("4 2\nthe 1 2\nof 3 4\na 5 1\n", f);
    fclose(f);
    glove_model *truncated = NULL;
    CHECK(glove_model_import_text(path, &truncated) == GLOVE_E_FORMAT && truncated == NULL,
          "text vectors short of their header's count are refused");
    remove(path);
    float query[2] = {1, 0};
    int64_t found_ids[1];
    float found_scores[1];
    REFUSE("glove_model_neighbors",
           glove_model_neighbors(model, query, (size_t)1 << 62, 1, GLOVE_SIMILARITY_DOT, found_ids, found_scores));
    size_t history = 7;
    glove_model_free(model);

    /* A loss history asked into a NULL buffer that it does not fit leaves the count at 0. */
    glove_train_params tp = glove_train_default_params();
    tp.dim = 4;
    tp.epochs = 2;
    tp.threads = 1;
    CHECK(glove_cooc_count_ids(ids, 2, 2, NULL, &cooc) == GLOVE_OK, "cooc");
    glove_vocab *pair = NULL;
    CHECK(glove_vocab_create(words, counts, 2, NULL, &pair) == GLOVE_OK, "pair vocab");
    CHECK(glove_model_train(cooc, pair, &tp, NULL, NULL, &model) == GLOVE_OK, "train: %s", glove_last_error_message());
    REFUSE("glove_model_loss_history", glove_model_loss_history(model, NULL, 2, &history));
    CHECK(history == 0, "a refused loss_history left out_count at %zu", history);

    /* Tables beyond the machine's memory are refused before anything is allocated. */
    glove_model *huge = NULL;
    tp.dim = 4096;
    tp.subword_hashes = 16;
    tp.subword_buckets = 1u << 24;
    CHECK(glove_model_train(cooc, pair, &tp, NULL, NULL, &huge) == GLOVE_E_NOMEM && huge == NULL,
          "tables beyond memory: %s", glove_last_error_message());
    glove_model_free(model);
    glove_cooc_free(cooc);
    glove_vocab_free(pair);
    glove_vocab_free(vocab);
    cooc = NULL;
    vocab = NULL;
}
