"""Errors become exceptions with the C message; objects are freed exactly once."""
import gc

import pytest

import glove
from glove import _lib


def test_compat_refuses_other_bucket_counts():
    with pytest.raises(glove.InvalidArgumentError, match="num_buckets must be 65536") as info:
        glove.MinHash(scheme="compat", buckets=10)
    assert isinstance(info.value, ValueError) and info.value.status == _lib.GLOVE_E_INVALID_ARGUMENT


@pytest.mark.parametrize("kwargs", [dict(scheme="nope"), dict(scheme="full", buckets=0),
                                    dict(scheme="full", hashes=0), dict(buckets=-1), dict(seed=2**32),
                                    dict(hashes=1.5)])
def test_bad_parameters_raise_value_errors(kwargs):
    with pytest.raises(ValueError):
        glove.MinHash(**kwargs)


def test_wrong_word_types_raise_type_errors():
    with pytest.raises(TypeError):
        glove.minhash(42)
    with pytest.raises(TypeError):
        glove.minhash(["ok", 3])


def test_lone_surrogates_raise_unicode_errors():
    with pytest.raises(UnicodeEncodeError):
        glove.minhash("\ud800")


def test_closed_objects_raise_and_close_is_idempotent():
    mh = glove.MinHash()
    mh.close()
    mh.close()
    with pytest.raises(ValueError, match="closed"):
        mh.bucket("zebra")
    del mh
    gc.collect()


def test_context_manager_closes():
    with glove.MinHash() as mh:
        assert mh.bucket("zebra") == glove.minhash("zebra")
    with pytest.raises(ValueError):
        mh.buckets(["zebra"])


def test_c_level_errors_carry_the_function_name():
    mh = glove.MinHash()
    out = _lib.ctypes.c_uint32()
    status = _lib.glove_minhash_bucket(mh._handle, None, 3, _lib.ctypes.byref(out))
    assert status == _lib.GLOVE_E_INVALID_ARGUMENT
    assert _lib.glove_last_error_message() == b"glove_minhash_bucket: word is NULL but its length is 3"


def test_status_strings():
    assert _lib.glove_status_string(_lib.GLOVE_E_FORMAT) == b"malformed or corrupt data"
    assert _lib.glove_status_string(-12345) == b"unknown status"


def test_version_matches_header():
    assert glove.__version__ == "0.1.0"
    assert _lib.glove_version_number() == _lib.VERSION_NUMBER
