"""Loads libglove.so and declares its functions one to one with glove.h.

Each declaration carries the C prototype as a comment. Nothing here is
Pythonic on purpose: the classes in the other modules wrap these calls.
"""
import ctypes
import os
import platform
import sys
from ctypes import POINTER, c_char, c_char_p, c_double, c_int32, c_size_t, c_uint32, c_void_p

# Header values this binding was written against (glove.h).
VERSION_NUMBER = 100  # GLOVE_VERSION_NUMBER for 0.1.0
ABI_VERSION = 1       # GLOVE_ABI_VERSION

GLOVE_OK = 0
GLOVE_E_INVALID_ARGUMENT = -1
GLOVE_E_NOMEM = -2
GLOVE_E_IO = -3
GLOVE_E_FORMAT = -4
GLOVE_E_CANCELLED = -5
GLOVE_E_NUMERIC = -6
GLOVE_E_BUFFER_TOO_SMALL = -7

GLOVE_MINHASH_COMPAT = 0
GLOVE_MINHASH_FULL = 1
GLOVE_MODE_TEXT = 0
GLOVE_MODE_PRETOKENIZED = 1
GLOVE_OOV_BUCKET = 0
GLOVE_OOV_DROP = 1
GLOVE_WEIGHTING_HARMONIC = 0
GLOVE_WEIGHTING_UNIFORM = 1
GLOVE_FORMAT_STANFORD = 0
GLOVE_FORMAT_NATIVE = 1
GLOVE_LAYOUT_SYMMETRIC = 0
GLOVE_LAYOUT_FULL = 1
GLOVE_OBJECTIVE_SEED = 0
GLOVE_OBJECTIVE_PAPER = 1
GLOVE_OPTIMIZER_DEFAULT = -1
GLOVE_OPTIMIZER_ADAGRAD = 0
GLOVE_OPTIMIZER_ADAM = 1
GLOVE_OPTIMIZER_SGD = 2
GLOVE_SCHEDULE_CONSTANT = 0
GLOVE_SCHEDULE_LINEAR = 1
GLOVE_VECTORS_GLOVE_TEXT = 0
GLOVE_VECTORS_WORD2VEC_TEXT = 1
GLOVE_VECTORS_WORD2VEC_BINARY = 2
GLOVE_SIMILARITY_DOT = 0
GLOVE_SIMILARITY_COSINE = 1
GLOVE_ANALOGY_ADD = 0
GLOVE_ANALOGY_MUL = 1

glove_status = c_int32


class glove_minhash(ctypes.Structure):
    """Opaque handle (typedef struct glove_minhash glove_minhash)."""


class glove_minhash_params(ctypes.Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("scheme", c_int32),
        ("num_buckets", c_uint32),
        ("seed", c_uint32),
        ("num_hashes", c_uint32),
    ]


class glove_vocab(ctypes.Structure):
    """Opaque handle (typedef struct glove_vocab glove_vocab)."""


class glove_cooc(ctypes.Structure):
    """Opaque handle (typedef struct glove_cooc glove_cooc)."""


class glove_vocab_params(ctypes.Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("threads", c_uint32),
        ("min_count", ctypes.c_uint64),
        ("max_size", ctypes.c_uint64),
        ("mode", c_int32),
        ("reserved", c_int32),
    ]


class glove_cooc_params(ctypes.Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("window", c_uint32),
        ("weighting", c_int32),
        ("oov", c_int32),
        ("mode", c_int32),
        ("threads", c_uint32),
        ("memory_limit", ctypes.c_uint64),
        ("cross_lines", c_int32),
        ("subsample", ctypes.c_float),
        ("temp_dir", c_char_p),
    ]


class glove_model(ctypes.Structure):
    """Opaque handle (typedef struct glove_model glove_model)."""


class glove_train_params(ctypes.Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("objective", c_int32),
        ("dim", c_uint32),
        ("epochs", c_uint32),
        ("optimizer", c_int32),
        ("learning_rate", ctypes.c_float),
        ("batch_size", c_uint32),
        ("schedule", c_int32),
        ("x_max", ctypes.c_float),
        ("alpha", ctypes.c_float),
        ("threads", c_uint32),
        ("sum_word_context", c_int32),
        ("seed", ctypes.c_uint64),
        ("subword_hashes", c_uint32),
        ("subword_buckets", c_uint32),
    ]


# typedef int32_t (*glove_train_progress)(uint32_t epoch, uint64_t step, double loss, double entries_per_second,
#                                         void *user_data);
glove_train_progress = ctypes.CFUNCTYPE(c_int32, c_uint32, ctypes.c_uint64, c_double, c_double, c_void_p)

# typedef int32_t (*glove_count_progress)(uint64_t bytes_read, void *user_data);
glove_count_progress = ctypes.CFUNCTYPE(c_int32, ctypes.c_uint64, c_void_p)


# Where glibc's loader looks for a build for AVX2/FMA CPUs next to a library.
HWCAPS = os.path.join("glibc-hwcaps", "x86-64-v3")


def _x86_64_v3() -> bool:
    """Whether this CPU (and kernel) offer what the x86-64-v3 build uses."""
    if platform.machine() != "x86_64":
        return False
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        return False
    return {"avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm", "xsave"} <= set(flags)


def _candidates():
    """Where the library is looked for, in order: $GLOVE_LIBRARY as given, then
    the package's copy and the source tree's build, each preceded by its
    x86-64-v3 build when the CPU can run it (as glibc-hwcaps does for C)."""
    here = os.path.dirname(os.path.abspath(__file__))
    paths = []
    if os.environ.get("GLOVE_LIBRARY"):
        paths.append(os.environ["GLOVE_LIBRARY"])
    fast = _x86_64_v3()
    for folder in (here, os.path.normpath(os.path.join(here, "..", "..", "..", "build", "lib"))):
        if fast:
            paths.append(os.path.join(folder, HWCAPS, "libglove.so"))
        paths.append(os.path.join(folder, "libglove.so"))
    shipped = _spark_files_candidate()
    if shipped:
        paths.append(shipped)
    return paths


def _spark_files_candidate():
    """On a Spark worker, the copy glove.spark.ship_library sent with SparkContext.addFile
    (or spark-submit's ``--files``, which names a copy of the build's libglove.so
    symlink after its target, libglove.so.1).

    Looked at last, and only when pyspark is already imported (a worker imports
    it before it unpickles a task); pyspark is never imported from here.
    """
    for name in ("pyspark.core.files", "pyspark.files"):
        files = getattr(sys.modules.get(name), "SparkFiles", None)
        if files is not None and getattr(files, "_is_running_on_worker", False) and files._root_directory:
            shipped = [os.path.join(files._root_directory, f) for f in ("libglove.so", "libglove.so.1")]
            return next((path for path in shipped if os.path.exists(path)), shipped[0])
    return None


def _load():
    errors = []
    for path in _candidates():
        if not os.path.exists(path):
            errors.append(f"  {path}: not found")
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            errors.append(f"  {path}: {e}")
    raise ImportError("glove: cannot load libglove.so; tried:\n" + "\n".join(errors)
                      + "\nSet GLOVE_LIBRARY to its path, or run `make` in the libglove source tree.")


lib, path = _load()


def _declare(name, restype, *argtypes):
    function = getattr(lib, name)
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


# int32_t glove_version_number(void);
glove_version_number = _declare("glove_version_number", c_int32)
# const char *glove_version_string(void);
glove_version_string = _declare("glove_version_string", c_char_p)
# int32_t glove_abi_version(void);
glove_abi_version = _declare("glove_abi_version", c_int32)
# const char *glove_status_string(glove_status status);
glove_status_string = _declare("glove_status_string", c_char_p, glove_status)
# const char *glove_last_error_message(void);
glove_last_error_message = _declare("glove_last_error_message", c_char_p)

# glove_minhash_params glove_minhash_default_params(void);
glove_minhash_default_params = _declare("glove_minhash_default_params", glove_minhash_params)
# glove_status glove_minhash_create(const glove_minhash_params *params, glove_minhash **out_minhash);
glove_minhash_create = _declare("glove_minhash_create", glove_status,
                                POINTER(glove_minhash_params), POINTER(POINTER(glove_minhash)))
# void glove_minhash_free(glove_minhash *minhash);
glove_minhash_free = _declare("glove_minhash_free", None, POINTER(glove_minhash))
# glove_status glove_minhash_get_params(const glove_minhash *minhash, glove_minhash_params *out_params);
glove_minhash_get_params = _declare("glove_minhash_get_params", glove_status,
                                    POINTER(glove_minhash), POINTER(glove_minhash_params))
# glove_status glove_minhash_bucket(const glove_minhash *minhash, const char *word, size_t length,
#                                   uint32_t *out_bucket);
glove_minhash_bucket = _declare("glove_minhash_bucket", glove_status,
                                POINTER(glove_minhash), c_char_p, c_size_t, POINTER(c_uint32))
# glove_status glove_minhash_buckets(const glove_minhash *minhash, const char *const *words,
#                                    const size_t *lengths, size_t count, uint32_t *out_buckets);
glove_minhash_buckets = _declare("glove_minhash_buckets", glove_status,
                                 POINTER(glove_minhash), POINTER(c_char_p), POINTER(c_size_t), c_size_t,
                                 POINTER(c_uint32))
# glove_status glove_minhash_buckets_delimited(const glove_minhash *minhash, const char *data, size_t length,
#                                              char delimiter, uint32_t *out_buckets, size_t capacity,
#                                              size_t *out_written);
glove_minhash_buckets_delimited = _declare("glove_minhash_buckets_delimited", glove_status,
                                           POINTER(glove_minhash), c_char_p, c_size_t, c_char,
                                           POINTER(c_uint32), c_size_t, POINTER(c_size_t))
# glove_status glove_minhash_signature(const glove_minhash *minhash, const char *word, size_t length,
#                                      uint32_t *out_signature, size_t capacity);
glove_minhash_signature = _declare("glove_minhash_signature", glove_status,
                                   POINTER(glove_minhash), c_char_p, c_size_t, POINTER(c_uint32), c_size_t)
# glove_status glove_minhash_jaccard(const glove_minhash *minhash, const char *word_a, size_t length_a,
#                                    const char *word_b, size_t length_b, double *out_estimate);
glove_minhash_jaccard = _declare("glove_minhash_jaccard", glove_status,
                                 POINTER(glove_minhash), c_char_p, c_size_t, c_char_p, c_size_t,
                                 POINTER(c_double))

# glove_vocab_params glove_vocab_default_params(void);
glove_vocab_default_params = _declare("glove_vocab_default_params", glove_vocab_params)
# glove_status glove_vocab_build(const char *const *paths, size_t path_count, const glove_vocab_params *params,
#                                const glove_minhash *minhash, glove_count_progress progress, void *user_data,
#                                glove_vocab **out_vocab);
glove_vocab_build = _declare("glove_vocab_build", glove_status, POINTER(c_char_p), c_size_t,
                             POINTER(glove_vocab_params), POINTER(glove_minhash), glove_count_progress, c_void_p,
                             POINTER(POINTER(glove_vocab)))
# glove_status glove_vocab_create(const char *const *words, const uint64_t *counts, size_t count,
#                                 const glove_minhash *minhash, glove_vocab **out_vocab);
glove_vocab_create = _declare("glove_vocab_create", glove_status, POINTER(c_char_p), POINTER(ctypes.c_uint64),
                              c_size_t, POINTER(glove_minhash), POINTER(POINTER(glove_vocab)))
# glove_status glove_vocab_load(const char *path, const glove_minhash *minhash, glove_vocab **out_vocab);
glove_vocab_load = _declare("glove_vocab_load", glove_status, c_char_p, POINTER(glove_minhash),
                            POINTER(POINTER(glove_vocab)))
# glove_status glove_vocab_save(const glove_vocab *vocab, const char *path);
glove_vocab_save = _declare("glove_vocab_save", glove_status, POINTER(glove_vocab), c_char_p)
# void glove_vocab_free(glove_vocab *vocab);
glove_vocab_free = _declare("glove_vocab_free", None, POINTER(glove_vocab))
# glove_status glove_vocab_size(const glove_vocab *vocab, size_t *out_size, size_t *out_id_space);
glove_vocab_size = _declare("glove_vocab_size", glove_status, POINTER(glove_vocab), POINTER(c_size_t),
                            POINTER(c_size_t))
# glove_status glove_vocab_word(const glove_vocab *vocab, size_t id, const char **out_word, size_t *out_length,
#                               uint64_t *out_count);
glove_vocab_word = _declare("glove_vocab_word", glove_status, POINTER(glove_vocab), c_size_t, POINTER(c_void_p),
                            POINTER(c_size_t), POINTER(ctypes.c_uint64))
# glove_status glove_vocab_lookup(const glove_vocab *vocab, const char *word, size_t length, int32_t oov,
#                                 int64_t *out_id, int32_t *out_in_vocabulary);
glove_vocab_lookup = _declare("glove_vocab_lookup", glove_status, POINTER(glove_vocab), c_char_p, c_size_t, c_int32,
                              POINTER(ctypes.c_int64), POINTER(c_int32))

# glove_cooc_params glove_cooc_default_params(void);
glove_cooc_default_params = _declare("glove_cooc_default_params", glove_cooc_params)
# glove_status glove_cooc_count_files(const glove_vocab *vocab, const char *const *paths, size_t path_count,
#                                     const glove_cooc_params *params, glove_count_progress progress, void *user_data,
#                                     glove_cooc **out_cooc);
glove_cooc_count_files = _declare("glove_cooc_count_files", glove_status, POINTER(glove_vocab), POINTER(c_char_p),
                                  c_size_t, POINTER(glove_cooc_params), glove_count_progress, c_void_p,
                                  POINTER(POINTER(glove_cooc)))
# glove_status glove_cooc_count_corpus(const char *const *paths, size_t path_count, const glove_vocab_params *vocab_params,
#                                      const glove_minhash *minhash, const glove_cooc_params *params,
#                                      glove_count_progress progress, void *user_data, glove_vocab **out_vocab,
#                                      glove_cooc **out_cooc);
glove_cooc_count_corpus = _declare("glove_cooc_count_corpus", glove_status, POINTER(c_char_p), c_size_t,
                                   POINTER(glove_vocab_params), POINTER(glove_minhash), POINTER(glove_cooc_params),
                                   glove_count_progress, c_void_p, POINTER(POINTER(glove_vocab)),
                                   POINTER(POINTER(glove_cooc)))
# glove_status glove_cooc_count_ids(const int32_t *ids, size_t count, size_t dimension,
#                                   const glove_cooc_params *params, glove_cooc **out_cooc);
glove_cooc_count_ids = _declare("glove_cooc_count_ids", glove_status, POINTER(c_int32), c_size_t, c_size_t,
                                POINTER(glove_cooc_params), POINTER(POINTER(glove_cooc)))
# glove_status glove_cooc_from_triples(const uint32_t *rows, const uint32_t *columns, const double *values, size_t count,
#                                      size_t dimension, int32_t layout, glove_cooc **out_cooc);
glove_cooc_from_triples = _declare("glove_cooc_from_triples", glove_status, POINTER(ctypes.c_uint32),
                                   POINTER(ctypes.c_uint32), POINTER(ctypes.c_double), c_size_t, c_size_t, c_int32,
                                   POINTER(POINTER(glove_cooc)))
# glove_status glove_cooc_merge(const glove_cooc *a, const glove_cooc *b, glove_cooc **out_cooc);
glove_cooc_merge = _declare("glove_cooc_merge", glove_status, POINTER(glove_cooc), POINTER(glove_cooc),
                            POINTER(POINTER(glove_cooc)))
# glove_status glove_cooc_size(const glove_cooc *cooc, uint64_t *out_dimension, uint64_t *out_nnz);
glove_cooc_size = _declare("glove_cooc_size", glove_status, POINTER(glove_cooc), POINTER(ctypes.c_uint64),
                           POINTER(ctypes.c_uint64))
# glove_status glove_cooc_triples(const glove_cooc *cooc, uint32_t *rows, uint32_t *columns, double *values,
#                                 size_t capacity, size_t *out_written);
glove_cooc_triples = _declare("glove_cooc_triples", glove_status, POINTER(glove_cooc), POINTER(c_uint32),
                              POINTER(c_uint32), POINTER(c_double), c_size_t, POINTER(c_size_t))
# glove_status glove_cooc_save(const glove_cooc *cooc, const char *path, int32_t format);
glove_cooc_save = _declare("glove_cooc_save", glove_status, POINTER(glove_cooc), c_char_p, c_int32)
# glove_status glove_cooc_load(const char *path, int32_t format, size_t dimension, glove_cooc **out_cooc);
glove_cooc_load = _declare("glove_cooc_load", glove_status, c_char_p, c_int32, c_size_t,
                           POINTER(POINTER(glove_cooc)))
# void glove_cooc_free(glove_cooc *cooc);
glove_cooc_free = _declare("glove_cooc_free", None, POINTER(glove_cooc))
# glove_status glove_cooc_shuffle_file(const char *input, const char *output, uint64_t seed, uint64_t memory_limit,
#                                      const char *temp_dir);
glove_cooc_shuffle_file = _declare("glove_cooc_shuffle_file", glove_status, c_char_p, c_char_p, ctypes.c_uint64,
                                   ctypes.c_uint64, c_char_p)

_f32p = POINTER(ctypes.c_float)
_i64p = POINTER(ctypes.c_int64)
_modelp = POINTER(glove_model)
# glove_train_params glove_train_default_params_v2(void);  (the symbol glove_train_default_params has the first layout)
glove_train_default_params = _declare("glove_train_default_params_v2", glove_train_params)
# glove_status glove_model_train(const glove_cooc *cooc, const glove_vocab *vocab, const glove_train_params *params,
#                                glove_train_progress progress, void *user_data, glove_model **out_model);
glove_model_train = _declare("glove_model_train", glove_status, POINTER(glove_cooc), POINTER(glove_vocab),
                             POINTER(glove_train_params), glove_train_progress, c_void_p, POINTER(_modelp))
# glove_status glove_model_train_resumable(const glove_cooc *cooc, const glove_vocab *vocab,
#     const glove_train_params *params, const char *checkpoint_path, uint32_t checkpoint_every,
#     glove_train_progress progress, void *user_data, glove_model **out_model);
glove_model_train_resumable = _declare("glove_model_train_resumable", glove_status, POINTER(glove_cooc),
                                       POINTER(glove_vocab), POINTER(glove_train_params), c_char_p,
                                       ctypes.c_uint32, glove_train_progress, c_void_p, POINTER(_modelp))
# glove_status glove_model_train_file(const char *cooc_path, int32_t format, const glove_vocab *vocab,
#     const glove_train_params *params, uint64_t memory_limit, const char *temp_dir, const char *checkpoint_path,
#     uint32_t checkpoint_every, glove_train_progress progress, void *user_data, glove_model **out_model);
glove_model_train_file = _declare("glove_model_train_file", glove_status, c_char_p, c_int32, POINTER(glove_vocab),
                                  POINTER(glove_train_params), ctypes.c_uint64, c_char_p, c_char_p, ctypes.c_uint32,
                                  glove_train_progress, c_void_p, POINTER(_modelp))
# glove_status glove_model_load(const char *path, glove_model **out_model);
glove_model_load = _declare("glove_model_load", glove_status, c_char_p, POINTER(_modelp))
# glove_status glove_model_import_text(const char *path, glove_model **out_model);
glove_model_import_text = _declare("glove_model_import_text", glove_status, c_char_p, POINTER(_modelp))
# glove_status glove_model_save(const glove_model *model, const char *path);
glove_model_save = _declare("glove_model_save", glove_status, _modelp, c_char_p)
# glove_status glove_model_export(const glove_model *model, const char *path, int32_t format);
glove_model_export = _declare("glove_model_export", glove_status, _modelp, c_char_p, c_int32)
# void glove_model_free(glove_model *model);
glove_model_free = _declare("glove_model_free", None, _modelp)
# glove_status glove_model_size(const glove_model *model, size_t *out_rows, size_t *out_words, uint32_t *out_dim);
glove_model_size = _declare("glove_model_size", glove_status, _modelp, POINTER(c_size_t), POINTER(c_size_t),
                            POINTER(c_uint32))
# glove_status glove_model_vocab(const glove_model *model, glove_vocab **out_vocab);
glove_model_vocab = _declare("glove_model_vocab", glove_status, _modelp, POINTER(POINTER(glove_vocab)))
# glove_status glove_model_vectors(const glove_model *model, float *out_vectors, size_t capacity, float *out_biases);
glove_model_vectors = _declare("glove_model_vectors", glove_status, _modelp, _f32p, c_size_t, _f32p)
# glove_status glove_model_vector(const glove_model *model, const char *word, size_t length, float *out_vector,
#                                 size_t capacity, int32_t *out_in_vocabulary);
glove_model_vector = _declare("glove_model_vector", glove_status, _modelp, c_char_p, c_size_t, _f32p, c_size_t,
                              POINTER(c_int32))
# glove_status glove_model_neighbors(const glove_model *model, const float *queries, size_t query_count, uint32_t k,
#                                    int32_t similarity, int64_t *out_ids, float *out_scores);
glove_model_neighbors = _declare("glove_model_neighbors", glove_status, _modelp, _f32p, c_size_t, c_uint32, c_int32,
                                 _i64p, _f32p)
# glove_status glove_model_word_neighbors(const glove_model *model, const char *word, size_t length, uint32_t k,
#                                         int32_t similarity, int64_t *out_ids, float *out_scores, size_t *out_count,
#                                         int32_t *out_in_vocabulary);
glove_model_word_neighbors = _declare("glove_model_word_neighbors", glove_status, _modelp, c_char_p, c_size_t,
                                      c_uint32, c_int32, _i64p, _f32p, POINTER(c_size_t), POINTER(c_int32))
# glove_status glove_model_analogy(const glove_model *model, const char *a, const char *b, const char *c, uint32_t k,
#                                  int32_t method, int64_t *out_ids, float *out_scores, size_t *out_count);
glove_model_analogy = _declare("glove_model_analogy", glove_status, _modelp, c_char_p, c_char_p, c_char_p, c_uint32,
                               c_int32, _i64p, _f32p, POINTER(c_size_t))
# glove_status glove_model_loss_history(const glove_model *model, double *out_losses, size_t capacity, size_t *out_count);
glove_model_loss_history = _declare("glove_model_loss_history", glove_status, _modelp, POINTER(c_double), c_size_t,
                                    POINTER(c_size_t))
# glove_status glove_model_evaluate_similarity(const glove_model *model, const char *path, double *out_spearman,
#                                              size_t *out_covered, size_t *out_total);
glove_model_evaluate_similarity = _declare("glove_model_evaluate_similarity", glove_status, _modelp, c_char_p,
                                           POINTER(c_double), POINTER(c_size_t), POINTER(c_size_t))
# glove_status glove_model_evaluate_analogies(const glove_model *model, const char *path, double *out_accuracy,
#                                             size_t *out_covered, size_t *out_total);
glove_model_evaluate_analogies = _declare("glove_model_evaluate_analogies", glove_status, _modelp, c_char_p,
                                          POINTER(c_double), POINTER(c_size_t), POINTER(c_size_t))


def _check_compatible():
    """Fails at import when the loaded library does not match this binding."""
    if glove_abi_version() != ABI_VERSION or glove_version_number() < VERSION_NUMBER:
        raise ImportError(f"glove: {path} is libglove {glove_version_string().decode()} "
                          f"(ABI {glove_abi_version()}); this package needs ABI {ABI_VERSION}, "
                          f"version >= {VERSION_NUMBER}")
    for struct, default in ((glove_minhash_params, glove_minhash_default_params),
                            (glove_vocab_params, glove_vocab_default_params),
                            (glove_cooc_params, glove_cooc_default_params),
                            (glove_train_params, glove_train_default_params)):
        size = default().struct_size
        if size != ctypes.sizeof(struct):
            raise ImportError(f"glove: {struct.__name__} is {size} bytes in {path} "
                              f"but {ctypes.sizeof(struct)} in this binding")


_check_compatible()

# Bilinear recommenders --------------------------------------------------------

GLOVE_FORM_DIAGONAL = 0
GLOVE_FORM_FULL = 1
GLOVE_FORM_FACTORIZED = 2
GLOVE_LOSS_SQUARED = 0
GLOVE_LOSS_BPR = 1
GLOVE_LOSS_WARP = 2


class glove_features(ctypes.Structure):
    """Opaque handle (typedef struct glove_features glove_features)."""


class glove_bilinear(ctypes.Structure):
    """Opaque handle (typedef struct glove_bilinear glove_bilinear)."""


class glove_bilinear_params(ctypes.Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("form", c_int32),
        ("rank", c_uint32),
        ("loss", c_int32),
        ("optimizer", c_int32),
        ("learning_rate", ctypes.c_float),
        ("l2", ctypes.c_float),
        ("epochs", c_uint32),
        ("threads", c_uint32),
        ("max_sampled", c_uint32),
        ("init_scale", ctypes.c_float),
        ("patience", c_uint32),
        ("validation_fraction", c_double),
        ("seed", ctypes.c_uint64),
    ]


class glove_ranking_metrics(ctypes.Structure):
    _fields_ = [
        ("precision", c_double),
        ("recall", c_double),
        ("ndcg", c_double),
        ("auc", c_double),
        ("users", ctypes.c_uint64),
    ]


# typedef int32_t (*glove_bilinear_progress)(uint32_t epoch, double loss, double validation, void *user_data);
glove_bilinear_progress = ctypes.CFUNCTYPE(c_int32, c_uint32, c_double, c_double, c_void_p)

_featp = POINTER(glove_features)
_bilp = POINTER(glove_bilinear)
_u32p = POINTER(c_uint32)
_u64p = POINTER(ctypes.c_uint64)
# glove_status glove_features_create_dense(const float *values, size_t rows, size_t columns, glove_features **out_features);
glove_features_create_dense = _declare("glove_features_create_dense", glove_status, _f32p, c_size_t, c_size_t,
                                       POINTER(_featp))
# glove_status glove_features_create_csr(size_t rows, size_t columns, const uint64_t *row_starts, const uint32_t *indices,
#                                        const float *values, size_t nnz, glove_features **out_features);
glove_features_create_csr = _declare("glove_features_create_csr", glove_status, c_size_t, c_size_t, _u64p, _u32p,
                                     _f32p, c_size_t, POINTER(_featp))
# glove_status glove_features_load(const char *path, size_t columns, glove_features **out_features);
glove_features_load = _declare("glove_features_load", glove_status, c_char_p, c_size_t, POINTER(_featp))
# glove_status glove_features_size(const glove_features *features, size_t *out_rows, size_t *out_columns, size_t *out_nnz);
glove_features_size = _declare("glove_features_size", glove_status, _featp, POINTER(c_size_t), POINTER(c_size_t),
                               POINTER(c_size_t))
# void glove_features_free(glove_features *features);
glove_features_free = _declare("glove_features_free", None, _featp)
# glove_bilinear_params glove_bilinear_default_params(void);
glove_bilinear_default_params = _declare("glove_bilinear_default_params", glove_bilinear_params)
# glove_status glove_bilinear_fit(const glove_features *users, const glove_features *items, const uint32_t *user_ids,
#                                 const uint32_t *item_ids, const float *values, size_t count,
#                                 const glove_bilinear_params *params, glove_bilinear_progress progress, void *user_data,
#                                 glove_bilinear **out_model);
glove_bilinear_fit = _declare("glove_bilinear_fit", glove_status, _featp, _featp, _u32p, _u32p, _f32p, c_size_t,
                              POINTER(glove_bilinear_params), glove_bilinear_progress, c_void_p, POINTER(_bilp))
# glove_status glove_bilinear_load(const char *path, glove_bilinear **out_model);
glove_bilinear_load = _declare("glove_bilinear_load", glove_status, c_char_p, POINTER(_bilp))
# glove_status glove_bilinear_save(const glove_bilinear *model, const char *path);
glove_bilinear_save = _declare("glove_bilinear_save", glove_status, _bilp, c_char_p)
# void glove_bilinear_free(glove_bilinear *model);
glove_bilinear_free = _declare("glove_bilinear_free", None, _bilp)
# glove_status glove_bilinear_info(const glove_bilinear *model, int32_t *out_form, size_t *out_user_features,
#                                  size_t *out_item_features, size_t *out_rank, size_t *out_items);
glove_bilinear_info = _declare("glove_bilinear_info", glove_status, _bilp, POINTER(c_int32), POINTER(c_size_t),
                               POINTER(c_size_t), POINTER(c_size_t), POINTER(c_size_t))
# glove_status glove_bilinear_add_items(glove_bilinear *model, const glove_features *items);
glove_bilinear_add_items = _declare("glove_bilinear_add_items", glove_status, _bilp, _featp)
# glove_status glove_bilinear_score(const glove_bilinear *model, const glove_features *users, const uint32_t *user_rows,
#                                   const uint32_t *item_ids, size_t count, float *out_scores);
glove_bilinear_score = _declare("glove_bilinear_score", glove_status, _bilp, _featp, _u32p, _u32p, c_size_t, _f32p)
# glove_status glove_bilinear_recommend(const glove_bilinear *model, const glove_features *users,
#                                       const uint64_t *exclude_starts, const uint32_t *exclude_items, uint32_t k,
#                                       uint32_t threads, uint32_t *out_items, float *out_scores);
glove_bilinear_recommend = _declare("glove_bilinear_recommend", glove_status, _bilp, _featp, _u64p, _u32p, c_uint32,
                                    c_uint32, _u32p, _f32p)
# glove_status glove_bilinear_evaluate(const glove_bilinear *model, const glove_features *users, const uint32_t *train_users,
#                                      const uint32_t *train_items, size_t train_count, const uint32_t *test_users,
#                                      const uint32_t *test_items, size_t test_count, uint32_t k,
#                                      glove_ranking_metrics *out_metrics);
glove_bilinear_evaluate = _declare("glove_bilinear_evaluate", glove_status, _bilp, _featp, _u32p, _u32p, c_size_t,
                                   _u32p, _u32p, c_size_t, c_uint32, POINTER(glove_ranking_metrics))
# glove_status glove_ranking_metrics_from_scores(const float *scores, size_t users, size_t items, const uint32_t *train_users,
#                                                const uint32_t *train_items, size_t train_count, const uint32_t *test_users,
#                                                const uint32_t *test_items, size_t test_count, uint32_t k,
#                                                glove_ranking_metrics *out_metrics);
glove_ranking_metrics_from_scores = _declare("glove_ranking_metrics_from_scores", glove_status, _f32p, c_size_t,
                                             c_size_t, _u32p, _u32p, c_size_t, _u32p, _u32p, c_size_t, c_uint32,
                                             POINTER(glove_ranking_metrics))
# glove_status glove_bilinear_loss_history(const glove_bilinear *model, double *out_losses, size_t capacity,
#                                          size_t *out_count);
glove_bilinear_loss_history = _declare("glove_bilinear_loss_history", glove_status, _bilp, POINTER(c_double), c_size_t,
                                       POINTER(c_size_t))
# glove_status glove_bilinear_item_vectors(const glove_bilinear *model, float *out_vectors, size_t capacity,
#                                          float *out_biases);
glove_bilinear_item_vectors = _declare("glove_bilinear_item_vectors", glove_status, _bilp, _f32p, c_size_t, _f32p)
# glove_status glove_bilinear_user_vectors(const glove_bilinear *model, const glove_features *users, float *out_vectors,
#                                          size_t capacity, float *out_biases);
glove_bilinear_user_vectors = _declare("glove_bilinear_user_vectors", glove_status, _bilp, _featp, _f32p, c_size_t,
                                       _f32p)
