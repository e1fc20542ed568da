/*
 * example.c — min-hash words from C.
 *
 * Two builds of this one file:
 *   example         dlopen()s libglove.so by path (argument or $GLOVE_LIBRARY)
 *                   and resolves every function with dlsym();
 *   example_linked  links -lglove through pkg-config (-DGLOVE_LINKED).
 * Both check the run-time version against the header, then print
 * "word<TAB>bucket" for each word, like `glove minhash`.
 *
 *   ./example build/lib/libglove.so zebra hashes democracy
 *   GLOVE_LIBRARY=build/lib/libglove.so ./example zebra hashes
 *   ./example_linked zebra hashes democracy
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
           RESOLVE(minhash_bucket, "glove_minhash_bucket");
}
#endif

int main(int argc, char **argv) {
    struct glove_api api;
    if (load_api(&api, &argc, &argv) != 0) return 2;
    /* sqlite's advice: compare the library you got with the header you compiled against. */
    if (api.abi_version() != GLOVE_ABI_VERSION || api.version_number() < GLOVE_VERSION_NUMBER) {
        fprintf(stderr, "example: libglove %d (ABI %d) is older than or incompatible with glove.h %d (ABI %d)\n",
                (int)api.version_number(), (int)api.abi_version(), GLOVE_VERSION_NUMBER, GLOVE_ABI_VERSION);
        return 2;
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
