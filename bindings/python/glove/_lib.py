"""Loads libglove.so and declares its functions one to one with glove.h.

Each declaration carries the C prototype as a comment. Nothing here is
Pythonic on purpose: the classes in the other modules wrap these calls.
"""
import ctypes
import os
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


def _candidates():
    """Where the library is looked for, in order."""
    here = os.path.dirname(os.path.abspath(__file__))
    paths = []
    if os.environ.get("GLOVE_LIBRARY"):
        paths.append(os.environ["GLOVE_LIBRARY"])
    paths.append(os.path.join(here, "libglove.so"))
    paths.append(os.path.normpath(os.path.join(here, "..", "..", "..", "build", "lib", "libglove.so")))
    return paths


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


def _check_compatible():
    """Fails at import when the loaded library does not match this binding."""
    if glove_abi_version() != ABI_VERSION or glove_version_number() < VERSION_NUMBER:
        raise ImportError(f"glove: {path} is libglove {glove_version_string().decode()} "
                          f"(ABI {glove_abi_version()}); this package needs ABI {ABI_VERSION}, "
                          f"version >= {VERSION_NUMBER}")
    size = glove_minhash_default_params().struct_size
    if size != ctypes.sizeof(glove_minhash_params):
        raise ImportError(f"glove: glove_minhash_params is {size} bytes in {path} "
                          f"but {ctypes.sizeof(glove_minhash_params)} in this binding")


_check_compatible()
del c_void_p
