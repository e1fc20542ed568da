/* Bilinear recommenders through the C ABI, against the numpy reference's
 * answers in Tests/vectors/bilinear (scripts/make_bilinear_vectors.py). */
#include <glove.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define MAX_ROWS 1024

typedef struct {
    uint32_t user[MAX_ROWS], item[MAX_ROWS];
    float value[MAX_ROWS];
    size_t count;
} table;

/* Reads "a<TAB>b<TAB>c" lines (the third column as a float). */
static void load_table(const char *dir, const char *name, table *t) {
    char path[1024];
    snprintf(path, sizeof path, "%s/bilinear/%s", dir, name);
    FILE *f = fopen(path, "r");
    t->count = 0;
    if (!f) { CHECK(0, "cannot open %s", path); return; }
    double a, b, c;
    while (t->count < MAX_ROWS && fscanf(f, "%lf\t%lf\t%lf", &a, &b, &c) == 3) {
        t->user[t->count] = (uint32_t)a;
        t->item[t->count] = (uint32_t)b;
        t->value[t->count] = (float)c;
        t->count++;
    }
    fclose(f);
}

/* The positives (value >= 4) of a table. */
static void positives(const table *in, table *out) {
    out->count = 0;
    for (size_t n = 0; n < in->count; n++) {
        if (in->value[n] >= 4) {
            out->user[out->count] = in->user[n];
            out->item[out->count] = in->item[n];
            out->value[out->count++] = 1;
        }
    }
}

static glove_features *load_features(const char *dir, const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/bilinear/%s", dir, name);
    glove_features *f = NULL;
    CHECK(glove_features_load(path, 0, &f) == GLOVE_OK, "load %s: %s", name, glove_last_error_message());
    return f;
}

static void check_form(const char *dir, int32_t form, const char *name, glove_features *users, glove_features *items,
                       const table *train, const table *test) {
    glove_bilinear_params p = glove_bilinear_default_params();
    p.form = form;
    p.loss = GLOVE_LOSS_SQUARED;
    p.l2 = 0.01f;
    glove_bilinear *model = NULL;
    CHECK(glove_bilinear_fit(users, items, train->user, train->item, train->value, train->count, &p, NULL, NULL,
                             &model) == GLOVE_OK, "%s fit: %s", name, glove_last_error_message());
    if (!model) return;
    /* Scores of every pair against the reference. */
    char file[64];
    snprintf(file, sizeof file, "%s_scores.tsv", name);
    static table expected;
    load_table(dir, file, &expected);
    float scores[MAX_ROWS];
    CHECK(glove_bilinear_score(model, users, expected.user, expected.item, expected.count, scores) == GLOVE_OK, "%s score", name);
    size_t close = 0;
    for (size_t n = 0; n < expected.count; n++) close += fabsf(scores[n] - expected.value[n]) < 1e-3f;
    CHECK(close == expected.count && expected.count == 720, "%s: %zu of %zu scores agree", name, close, expected.count);
    /* Top 5 with the training items excluded (CSR by user). */
    size_t rows = 0;
    CHECK(glove_features_size(users, &rows, NULL, NULL) == GLOVE_OK && rows == 24, "user rows");
    uint64_t starts[25] = {0};
    uint32_t excluded[MAX_ROWS];
    for (size_t n = 0; n < train->count; n++) starts[train->user[n] + 1]++;
    for (size_t r = 0; r < rows; r++) starts[r + 1] += starts[r];
    uint64_t fill[24];
    memcpy(fill, starts, sizeof fill);
    for (size_t n = 0; n < train->count; n++) excluded[fill[train->user[n]]++] = train->item[n];
    uint32_t top[24 * 5];
    float top_scores[24 * 5];
    CHECK(glove_bilinear_recommend(model, users, starts, excluded, 5, 0, top, top_scores) == GLOVE_OK, "%s recommend", name);
    snprintf(file, sizeof file, "%s_top.tsv", name);
    load_table(dir, file, &expected);
    size_t same = 0;
    /* Rows are user, rank, item: load_table puts the rank in .item and the item in .value. */
    for (size_t n = 0; n < expected.count; n++) same += top[expected.user[n] * 5 + expected.item[n] - 1] == (uint32_t)expected.value[n];
    CHECK(same == 120 && expected.count == 120, "%s: %zu of 120 top items agree", name, same);
    /* Metrics at 5 on the positives, from the model and from its scores. */
    static table train_pos, test_pos;
    positives(train, &train_pos);
    positives(test, &test_pos);
    glove_ranking_metrics m, from_scores;
    CHECK(glove_bilinear_evaluate(model, users, train_pos.user, train_pos.item, train_pos.count, test_pos.user,
                                  test_pos.item, test_pos.count, 5, &m) == GLOVE_OK, "%s evaluate", name);
    char path[1024];
    snprintf(path, sizeof path, "%s/bilinear/%s_metrics.tsv", dir, name);
    double reference[4] = {0};
    FILE *f = fopen(path, "r");
    CHECK(f && fscanf(f, "%lf\t%lf\t%lf\t%lf", &reference[0], &reference[1], &reference[2], &reference[3]) == 4, "metrics file");
    if (f) fclose(f);
    CHECK(fabs(m.precision - reference[0]) < 1e-9 && fabs(m.recall - reference[1]) < 1e-9 &&
          fabs(m.ndcg - reference[2]) < 1e-9 && fabs(m.auc - reference[3]) < 1e-9,
          "%s metrics %f %f %f %f", name, m.precision, m.recall, m.ndcg, m.auc);
    /* The same metrics from the score matrix, via the generic function. */
    size_t n_items = 0;
    CHECK(glove_bilinear_info(model, NULL, NULL, NULL, NULL, &n_items) == GLOVE_OK && n_items == 30, "item count");
    uint32_t us[720], is[720];
    float all[720];
    for (uint32_t u = 0; u < 24; u++)
        for (uint32_t i = 0; i < 30; i++) { us[u * 30 + i] = u; is[u * 30 + i] = i; }
    CHECK(glove_bilinear_score(model, users, us, is, 720, all) == GLOVE_OK, "all scores");
    CHECK(glove_ranking_metrics_from_scores(all, 24, 30, train_pos.user, train_pos.item, train_pos.count, test_pos.user,
                                            test_pos.item, test_pos.count, 5, &from_scores) == GLOVE_OK &&
          fabs(from_scores.auc - m.auc) < 1e-9 && from_scores.users == m.users, "%s metrics from scores", name);
    /* Latent vectors reproduce the scores: z . y + item bias + user bias. */
    int32_t got_form = -1;
    size_t rank = 0;
    CHECK(glove_bilinear_info(model, &got_form, NULL, NULL, &rank, NULL) == GLOVE_OK && got_form == form && rank == 4, "info");
    float item_vectors[30 * 4], item_biases[30], user_vectors[24 * 4], user_biases[24];
    CHECK(glove_bilinear_item_vectors(model, item_vectors, 30 * 4, item_biases) == GLOVE_OK, "item vectors");
    CHECK(glove_bilinear_item_vectors(model, item_vectors, 10, NULL) == GLOVE_E_BUFFER_TOO_SMALL, "item vectors too small");
    CHECK(glove_bilinear_user_vectors(model, users, user_vectors, 24 * 4, user_biases) == GLOVE_OK, "user vectors");
    float s = user_biases[2] + item_biases[7];
    for (int d = 0; d < 4; d++) s += user_vectors[2 * 4 + d] * item_vectors[7 * 4 + d];
    CHECK(fabsf(s - all[2 * 30 + 7]) < 1e-4f, "%s: latent score %f vs %f", name, s, all[2 * 30 + 7]);
    glove_bilinear_free(model);
}

void test_bilinear(const char *dir) {
    static table train, test;
    load_table(dir, "train.tsv", &train);
    load_table(dir, "test.tsv", &test);
    CHECK(train.count == 241 && test.count == 81, "table sizes %zu %zu", train.count, test.count);
    glove_features *users = load_features(dir, "users.tsv"), *items = load_features(dir, "items.tsv");
    check_form(dir, GLOVE_FORM_DIAGONAL, "diagonal", users, items, &train, &test);
    check_form(dir, GLOVE_FORM_FULL, "full", users, items, &train, &test);

    /* WARP with one thread and a seed: identical models, a working save/load, stopping from the callback. */
    glove_bilinear_params p = glove_bilinear_default_params();
    CHECK(p.struct_size == sizeof p && p.form == GLOVE_FORM_FACTORIZED && p.loss == GLOVE_LOSS_WARP && p.rank == 32,
          "bilinear defaults");
    p.rank = 4;
    p.epochs = 5;
    p.threads = 1;
    glove_bilinear *a = NULL, *b = NULL, *loaded = NULL;
    CHECK(glove_bilinear_fit(users, items, train.user, train.item, NULL, train.count, &p, NULL, NULL, &a) == GLOVE_OK, "warp a");
    CHECK(glove_bilinear_fit(users, items, train.user, train.item, NULL, train.count, &p, NULL, NULL, &b) == GLOVE_OK, "warp b");
    uint32_t ta[24 * 3], tb[24 * 3], tl[24 * 3];
    CHECK(glove_bilinear_recommend(a, users, NULL, NULL, 3, 1, ta, NULL) == GLOVE_OK &&
          glove_bilinear_recommend(b, users, NULL, NULL, 3, 2, tb, NULL) == GLOVE_OK && memcmp(ta, tb, sizeof ta) == 0,
          "one thread and a seed are repeatable");
    char path[64];
    snprintf(path, sizeof path, "/tmp/glove-c-bilinear-%d.glbl", (int)getpid());
    CHECK(glove_bilinear_save(a, path) == GLOVE_OK && glove_bilinear_load(path, &loaded) == GLOVE_OK, "save/load");
    CHECK(loaded && glove_bilinear_recommend(loaded, users, NULL, NULL, 3, 0, tl, NULL) == GLOVE_OK &&
          memcmp(ta, tl, sizeof ta) == 0, "a loaded model recommends the same");
    double losses[8];
    size_t epochs = 0;
    CHECK(glove_bilinear_loss_history(a, losses, 8, &epochs) == GLOVE_OK && epochs == 5, "loss history");
    /* Exclusion offsets past INT64_MAX (a negative offset cast to uint64_t) are refused, not trapped. */
    uint64_t wrapped[25] = {0};
    wrapped[24] = UINT64_MAX;
    uint32_t none_excluded[1] = {0};
    CHECK(glove_bilinear_recommend(a, users, wrapped, none_excluded, 3, 1, tl, NULL) == GLOVE_E_INVALID_ARGUMENT,
          "exclude_starts past INT64_MAX: %s", glove_last_error_message());
    /* A diagonal form as wide as the int32 feature space is too large, not an abort. */
    uint64_t wide_starts[3] = {0, 1, 2};
    uint32_t wide_columns[2] = {5, 7};
    float wide_values[2] = {1, 1};
    uint32_t pair_users[1] = {0}, pair_items[1] = {1};
    glove_features *wide = NULL;
    glove_bilinear *too_wide = NULL;
    CHECK(glove_features_create_csr(2, INT32_MAX, wide_starts, wide_columns, wide_values, 2, &wide) == GLOVE_OK, "wide features");
    glove_bilinear_params diagonal = glove_bilinear_default_params();
    diagonal.form = GLOVE_FORM_DIAGONAL;
    diagonal.loss = GLOVE_LOSS_SQUARED;
    CHECK(glove_bilinear_fit(wide, wide, pair_users, pair_items, NULL, 1, &diagonal, NULL, NULL, &too_wide) == GLOVE_E_NOMEM &&
              too_wide == NULL, "a diagonal form of 2^31 features: %s", glove_last_error_message());
    glove_features_free(wide);
    /* Cold start and new items: a brand-new user row and two new items. */
    float newcomer[4] = {0.5f, 0, 0.9f, 0};
    glove_features *fresh = NULL, *more = NULL;
    CHECK(glove_features_create_dense(newcomer, 1, 4, &fresh) == GLOVE_OK, "dense features");
    uint64_t starts[3] = {0, 2, 3};
    uint32_t columns[3] = {0, 3, 1};
    float values[3] = {1, 0.5f, 2};
    CHECK(glove_features_create_csr(2, 4, starts, columns, values, 3, &more) == GLOVE_OK, "csr features");
    CHECK(glove_bilinear_add_items(a, more) == GLOVE_OK, "add items");
    size_t n_items = 0, nnz = 0;
    CHECK(glove_bilinear_info(a, NULL, NULL, NULL, NULL, &n_items) == GLOVE_OK && n_items == 32, "32 items after adding");
    CHECK(glove_features_size(more, NULL, NULL, &nnz) == GLOVE_OK && nnz == 3, "csr nnz");
    uint32_t cold[32];
    float cold_scores[32];
    CHECK(glove_bilinear_recommend(a, fresh, NULL, NULL, 32, 0, cold, cold_scores) == GLOVE_OK, "cold start");
    int sorted = 1;
    for (int i = 1; i < 32; i++) sorted &= cold_scores[i] <= cold_scores[i - 1];
    CHECK(sorted && cold[0] < 32, "cold-start list is complete and sorted");
    uint32_t short_list[40];
    CHECK(glove_bilinear_recommend(a, fresh, NULL, NULL, 40, 0, short_list, NULL) == GLOVE_OK &&
          short_list[31] != UINT32_MAX && short_list[32] == UINT32_MAX, "k beyond the catalogue pads with UINT32_MAX");

    /* Refusals: a status and a message, objects unchanged. */
    glove_features *bad = NULL;
    float nan_value[2] = {NAN, 1};
    CHECK(glove_features_create_dense(nan_value, 1, 2, &bad) == GLOVE_E_NUMERIC && bad == NULL, "NaN feature");
    uint32_t unsorted[2] = {3, 1};
    uint64_t two[2] = {0, 2};
    CHECK(glove_features_create_csr(1, 4, two, unsorted, values, 2, &bad) == GLOVE_E_INVALID_ARGUMENT, "unsorted csr");
    CHECK(glove_features_create_csr(2, 4, starts, columns, values, 2, &bad) == GLOVE_E_INVALID_ARGUMENT && bad == NULL,
          "row_starts[rows] beyond nnz is refused, not read");
    CHECK(glove_features_load("/nonexistent/features.tsv", 0, &bad) == GLOVE_E_IO, "missing file");
    uint32_t far_user = 99, item0 = 0;
    glove_bilinear *none = NULL;
    CHECK(glove_bilinear_fit(users, items, &far_user, &item0, NULL, 1, &p, NULL, NULL, &none) == GLOVE_E_INVALID_ARGUMENT &&
          none == NULL, "user out of range");
    glove_bilinear_params odd = p;
    odd.struct_size = 3;
    CHECK(glove_bilinear_fit(users, items, train.user, train.item, NULL, train.count, &odd, NULL, NULL, &none) ==
          GLOVE_E_INVALID_ARGUMENT, "unknown struct_size");
    odd = p;
    odd.form = GLOVE_FORM_DIAGONAL;
    odd.loss = 7;
    CHECK(glove_bilinear_fit(users, items, train.user, train.item, NULL, train.count, &odd, NULL, NULL, &none) ==
          GLOVE_E_INVALID_ARGUMENT, "unknown loss");
    CHECK(glove_bilinear_recommend(a, items, NULL, NULL, 3, 0, NULL, NULL) == GLOVE_E_INVALID_ARGUMENT, "NULL out_items");
    float one[1];
    uint32_t bad_item = 1000, row0 = 0;
    CHECK(glove_bilinear_score(b, users, &row0, &bad_item, 1, one) == GLOVE_E_INVALID_ARGUMENT, "item out of range");
    CHECK(glove_bilinear_load("/nonexistent.glbl", &none) == GLOVE_E_IO, "missing model");
    FILE *f = fopen(path, "r+b");
    if (f) { fseek(f, 40, SEEK_SET); fputc(0x7f, f); fclose(f); }
    CHECK(glove_bilinear_load(path, &none) == GLOVE_E_FORMAT && none == NULL, "corrupt model");
    unlink(path);
    glove_bilinear_free(a);
    CHECK(glove_bilinear_info(a, NULL, NULL, NULL, NULL, &n_items) == GLOVE_E_INVALID_ARGUMENT, "freed model is refused");
    glove_bilinear_free(b);
    glove_bilinear_free(loaded);
    glove_bilinear_free(NULL);
    glove_features_free(fresh);
    glove_features_free(more);
    glove_features_free(users);
    glove_features_free(items);
    glove_features_free(NULL);
}
