/*
 * example.c — the main job from C: min-hash words, or count a corpus,
 * train GloVe vectors on it and print the neighbours of words.
 *
 * Two builds of this one file:
 *   example         dlopen()s libglove.so by path (argument or $GLOVE_LIBRARY)
 *                   and resolves every function with dlsym();
 *   example_linked  links -lglove through pkg-config (-DGLOVE_LINKED).
 * Both check the run-time version against the header. Given words, they
 * print "word<TAB>bucket" for each, like `glove minhash`; given
 * --train CORPUS EPOCHS first, they count the corpus, train for EPOCHS and
 * print the five nearest neighbours of each word.
 *
 *   ./example build/lib/libglove.so zebra hashes democracy
 *   GLOVE_LIBRARY=build/lib/libglove.so ./example zebra hashes
 *   ./example_linked --train data/gcide.txt 5 democracy king
 */
#include <glove.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef GLOVE_LINKED
#include <dlfcn.h>
#endif

/* The functions this example uses, resolved at run time or at link time. */
struct glove_api {
    int32_t (*version_number)(void);
    int32_t (*abi_version)(void);
    const char *(*last_error_message)(void);
    glove_minhash_params (*minhash_default_params)(void);
    glove_status (*minhash_create)(const glove_minhash_params *, glove_minhash **);
    void (*minhash_free)(glove_minhash *);
    glove_status (*minhash_bucket)(const glove_minhash *, const char *, size_t, uint32_t *);
    glove_status (*vocab_build)(const char *const *, size_t, const glove_vocab_params *, const glove_minhash *,
                                glove_count_progress, void *, glove_vocab **);
    glove_status (*cooc_count_files)(const glove_vocab *, const char *const *, size_t, const glove_cooc_params *,
                                     glove_count_progress, void *, glove_cooc **);
    glove_train_params (*train_default_params)(void);
    glove_status (*model_train)(const glove_cooc *, const glove_vocab *, const glove_train_params *,
                                glove_train_progress, void *, glove_model **);
    glove_status (*model_word_neighbors)(const glove_model *, const char *, size_t, uint32_t, int32_t, int64_t *,
                                         float *, size_t *, int32_t *);
    glove_status (*vocab_word)(const glove_vocab *, size_t, const char **, size_t *, uint64_t *);
    void (*vocab_free)(glove_vocab *);
    void (*cooc_free)(glove_cooc *);
    void (*model_free)(glove_model *);
};

#ifdef GLOVE_LINKED
static int load_api(struct glove_api *api, int *argc, char ***argv) {
    (void)argc; (void)argv;
    api->version_number = glove_version_number;
    api->abi_version = glove_abi_version;
    api->last_error_message = glove_last_error_message;
    api->minhash_default_params = glove_minhash_default_params;
    api->minhash_create = glove_minhash_create;
    api->minhash_free = glove_minhash_free;
    api->minhash_bucket = glove_minhash_bucket;
    api->vocab_build = glove_vocab_build;
    api->cooc_count_files = glove_cooc_count_files;
    api->train_default_params = glove_train_default_params;
    api->model_train = glove_model_train;
    api->model_word_neighbors = glove_model_word_neighbors;
    api->vocab_word = glove_vocab_word;
    api->vocab_free = glove_vocab_free;
    api->cooc_free = glove_cooc_free;
    api->model_free = glove_model_free;
    return 0;
}
#else
/* dlsym returns void *; converting it to a function pointer is what POSIX
   requires to work, though ISO C leaves it undefined: go through memcpy. */
static int resolve(void *library, const char *name, void *slot, size_t size) {
    void *symbol = dlsym(library, name);
    if (!symbol) { fprintf(stderr, "example: %s: %s\n", name, dlerror()); return -1; }
    memcpy(slot, &symbol, size);
    return 0;
}

#define RESOLVE(field, name) resolve(library, name, &api->field, sizeof api->field)

static int load_api(struct glove_api *api, int *argc, char ***argv) {
    const char *path = getenv("GLOVE_LIBRARY");
    if (*argc > 1 && strstr((*argv)[1], ".so")) { path = (*argv)[1]; (*argc)--; (*argv)++; }
    if (!path) { fprintf(stderr, "example: give the path of libglove.so or set GLOVE_LIBRARY\n"); return -1; }
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!library) { fprintf(stderr, "example: %s\n", dlerror()); return -1; }
    return RESOLVE(version_number, "glove_version_number") | RESOLVE(abi_version, "glove_abi_version") |
           RESOLVE(last_error_message, "glove_last_error_message") |
           RESOLVE(minhash_default_params, "glove_minhash_default_params") |
           RESOLVE(minhash_create, "glove_minhash_create") | RESOLVE(minhash_free, "glove_minhash_free") |
           RESOLVE(minhash_bucket, "glove_minhash_bucket") | RESOLVE(vocab_build, "glove_vocab_build") |
           RESOLVE(cooc_count_files, "glove_cooc_count_files") |
           RESOLVE(train_default_params, "glove_train_default_params_v2") | RESOLVE(model_train, "glove_model_train") |
           RESOLVE(model_word_neighbors, "glove_model_word_neighbors") | RESOLVE(vocab_word, "glove_vocab_word") |
           RESOLVE(vocab_free, "glove_vocab_free") | RESOLVE(cooc_free, "glove_cooc_free") |
           RESOLVE(model_free, "glove_model_free");
}
#endif

/* Prints the loss after each epoch; returning 0 means "go on". */
static int32_t report(uint32_t epoch, uint64_t step, double loss, double rate, void *user_data) {
    (void)step; (void)user_data;
    fprintf(stderr, "epoch %u: loss %.5f, %.0f entries/s\n", (unsigned)epoch, loss, rate);
    return 0;
}

/* Counts a corpus, trains on it and prints the neighbours of each word. */
static int train_and_query(const struct glove_api *api, const char *corpus, unsigned epochs, int count, char **words) {
    const char *paths[1] = {corpus};
    glove_vocab *vocab = NULL;
    glove_cooc *cooc = NULL;
    glove_model *model = NULL;
    glove_train_params params = api->train_default_params();
    params.objective = GLOVE_OBJECTIVE_PAPER; /* Stanford's objective; x_max 10 suits small corpora */
    params.x_max = 10;
    params.epochs = epochs;
    int status = 1;
    if (api->vocab_build(paths, 1, NULL, NULL, NULL, NULL, &vocab) != GLOVE_OK ||
        api->cooc_count_files(vocab, paths, 1, NULL, NULL, NULL, &cooc) != GLOVE_OK ||
        api->model_train(cooc, vocab, &params, report, NULL, &model) != GLOVE_OK) {
        fprintf(stderr, "example: %s\n", api->last_error_message());
        goto done;
    }
    for (int i = 0; i < count; i++) {
        int64_t ids[5];
        float scores[5];
        size_t found = 0;
        if (api->model_word_neighbors(model, words[i], strlen(words[i]), 5, GLOVE_SIMILARITY_COSINE, ids, scores, &found,
                                      NULL) != GLOVE_OK) {
            printf("%s: %s\n", words[i], api->last_error_message());
            continue;
        }
        printf("%s:", words[i]);
        for (size_t k = 0; k < found; k++) {
            const char *word = NULL;
            api->vocab_word(vocab, (size_t)ids[k], &word, NULL, NULL);
            printf(" %s (%.2f)", word, scores[k]);
        }
        printf("\n");
    }
    status = 0;
done:
    api->model_free(model);
    api->cooc_free(cooc);
    api->vocab_free(vocab);
    return status;
}

int main(int argc, char **argv) {
    struct glove_api api;
    if (load_api(&api, &argc, &argv) != 0) return 2;
    /* sqlite's advice: compare the library you got with the header you compiled against. */
    if (api.abi_version() != GLOVE_ABI_VERSION || api.version_number() < GLOVE_VERSION_NUMBER) {
        fprintf(stderr, "example: libglove %d (ABI %d) is older than or incompatible with glove.h %d (ABI %d)\n",
                (int)api.version_number(), (int)api.abi_version(), GLOVE_VERSION_NUMBER, GLOVE_ABI_VERSION);
        return 2;
    }
    if (argc >= 4 && strcmp(argv[1], "--train") == 0) {
        return train_and_query(&api, argv[2], (unsigned)atoi(argv[3]), argc - 4, argv + 4);
    }
    glove_minhash_params params = api.minhash_default_params(); /* the reference pipeline's scheme */
    glove_minhash *minhash = NULL;
    if (api.minhash_create(&params, &minhash) != GLOVE_OK) {
        fprintf(stderr, "example: %s\n", api.last_error_message());
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        uint32_t bucket;
        if (api.minhash_bucket(minhash, argv[i], strlen(argv[i]), &bucket) != GLOVE_OK) {
            fprintf(stderr, "example: %s\n", api.last_error_message());
            api.minhash_free(minhash);
            return 1;
        }
        printf("%s\t%u\n", argv[i], (unsigned)bucket);
    }
    api.minhash_free(minhash);
    return 0;
}
