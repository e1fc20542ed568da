/* Shared by the C ABI tests: CHECK counts a passed or failed expectation. */
#ifndef GLOVE_TEST_CHECK_H
#define GLOVE_TEST_CHECK_H

#include <stdio.h>

extern int passed, failed;

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

/* Bilinear recommenders against Tests/vectors/bilinear (test_bilinear.c). */
void test_bilinear(const char *vectors_dir);

/* Every fallible function refuses NULL, wrong, freed handles and bad sizes (test_refusals.c). */
void test_refusals(void);

#endif
