/*
 * Peak memory of streamed training as a C program linked against libglove
 * sees it: no command-line parser, no Foundation, only the library.
 *
 * Prints the peak resident set (getrusage) after loading the vocabulary, and
 * after glove_model_train_file, in MiB. benchmarks/train_bench.sh builds and
 * runs it next to `glove train --stream`.
 *
 * Usage: train_memory VOCAB COOC seed|paper THREADS EPOCHS MEMORY_LIMIT_MIB TEMP_DIR
 */
#include <glove.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static double peak_mib(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0; /* ru_maxrss is in KiB on Linux */
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: %s VOCAB COOC seed|paper THREADS EPOCHS MEMORY_LIMIT_MIB TEMP_DIR\n", argv[0]);
        return 2;
    }
    glove_vocab *vocab = NULL;
    if (glove_vocab_load(argv[1], NULL, &vocab) != GLOVE_OK) {
        fprintf(stderr, "vocabulary: %s\n", glove_last_error_message());
        return 1;
    }
    double loaded = peak_mib();
    glove_train_params params = glove_train_default_params();
    params.objective = strcmp(argv[3], "paper") == 0 ? GLOVE_OBJECTIVE_PAPER : GLOVE_OBJECTIVE_SEED;
    if (params.objective == GLOVE_OBJECTIVE_PAPER) params.x_max = 10;
    params.threads = (uint32_t)atoi(argv[4]);
    params.epochs = (uint32_t)atoi(argv[5]);
    glove_model *model = NULL;
    glove_status status = glove_model_train_file(argv[2], GLOVE_FORMAT_NATIVE, vocab, &params,
                                                 (uint64_t)atoi(argv[6]) << 20, argv[7], NULL, 0, NULL, NULL, &model);
    if (status != GLOVE_OK) {
        fprintf(stderr, "training: %s\n", glove_last_error_message());
        glove_vocab_free(vocab);
        return 1;
    }
    printf("peak RSS: %.1f MiB with the vocabulary loaded, %.1f MiB after training\n", loaded, peak_mib());
    glove_model_free(model);
    glove_vocab_free(vocab);
    return 0;
}
