#!/usr/bin/env python3
"""Checks that include/glove.h, the exported symbols of libglove.so and the
declarations the Swift compiler derives from the @_cdecl functions agree.

Usage: check_header.py HEADER EMITTED_HEADER EXPORTED_SYMBOLS_FILE

- every function declared in HEADER is exported, and nothing else is;
- every exported function has the same return and parameter types in
  HEADER and in EMITTED_HEADER (swiftc -emit-clang-header-path), after
  normalising spellings that are the same C type (NSUInteger = size_t,
  glove_status = int32_t, opaque handle pointers = void *, nullability).
"""
import re
import sys

ALIASES = {"NSUInteger": "size_t", "NSInteger": "ptrdiff_t", "glove_status": "int32_t", "uint64_t": "uint64_t"}


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def function_pointer(ret: str, params: str) -> str:
    """A canonical name for a function pointer type, e.g. fn_int32_t__uint64_t__void_p."""
    types = [strip_name(p) for p in params.split(",") if p.strip() not in ("", "void")]
    words = [canonical_text(t) for t in [ret] + types]
    return "fn_" + "__".join(words)


def canonical_text(ctype: str) -> str:
    base, base_const, levels = canonical(ctype, set())
    return base + ("_c" if base_const else "") + "".join("_p" + ("c" if c else "") for c in levels)


def inline_function_pointers(text: str) -> str:
    """Replaces each function pointer parameter `R (*name)(P)` with its canonical type name."""
    pattern = re.compile(r"([A-Za-z_]\w*)\s*\(\*\s*(?:_Nullable\s*|_Nonnull\s*)?\w*\)\s*\(([^()]*)\)")
    return pattern.sub(lambda m: function_pointer(m.group(1), m.group(2)), text)


def function_pointer_typedefs(text: str) -> dict:
    """typedef R (*name)(P); -> {name: canonical type name}."""
    pattern = re.compile(r"typedef\s+([A-Za-z_][\w\s\*]*?)\s*\(\*\s*(\w+)\)\s*\(([^()]*)\)\s*;")
    return {name: function_pointer(ret, params) for ret, name, params in pattern.findall(strip_comments(text))}


def declarations(text: str, prefix: str = "") -> dict:
    """Maps function name to (return type, [parameter types])."""
    text = inline_function_pointers(strip_comments(text))
    text = re.sub(r"typedef[^;]*;", " ", text)
    pattern = re.compile(prefix + r"([A-Za-z_][\w\s\*]*?)\b(glove_\w+)\s*\(([^()]*)\)[^;{]*;")
    found = {}
    for ret, name, params in pattern.findall(text):
        params = [p.strip() for p in params.split(",")]
        if params == ["void"] or params == [""]:
            params = []
        found[name] = (ret.strip(), [strip_name(p) for p in params])
    return found


def strip_name(param: str) -> str:
    """Drops the parameter name: the last identifier, when it follows a type."""
    tokens = re.findall(r"\w+|\*", param)
    if len(tokens) > 1 and re.match(r"\w+$", tokens[-1]) and tokens[-1] not in ("const",):
        tokens = tokens[:-1]
    return " ".join(tokens)


def canonical(ctype: str, handles: set) -> tuple:
    """(base type, const of the base, const of each pointer level)."""
    tokens = [t for t in re.findall(r"\w+|\*", ctype) if t not in ("_Nullable", "_Nonnull", "struct")]
    base, base_const, levels = None, False, []
    for t in tokens:
        if t == "*":
            levels.append(False)
        elif t == "const":
            if levels:
                levels[-1] = True
            else:
                base_const = True
        else:
            base = ALIASES.get(t, t)
    if base in handles:  # opaque handles cross the Swift boundary as void *
        base, base_const = "void", False
    return (base, base_const, tuple(levels))


def main() -> int:
    header_text = open(sys.argv[1]).read()
    ours = declarations(header_text)
    emitted = declarations(open(sys.argv[2]).read(), prefix=r"SWIFT_EXTERN\s+")
    exported = set(open(sys.argv[3]).read().split())
    handles = set(re.findall(r"typedef struct (glove_\w+) \1;", header_text))
    ALIASES.update(function_pointer_typedefs(header_text))
    problems = []
    for name in sorted(set(ours) - exported):
        problems.append(f"{name}: declared in the header but not exported")
    for name in sorted(exported - set(ours)):
        problems.append(f"{name}: exported but not declared in the header")
    for name in sorted(set(ours) & exported):
        if name not in emitted:
            problems.append(f"{name}: no @_cdecl declaration emitted by swiftc")
            continue
        (r1, p1), (r2, p2) = ours[name], emitted[name]
        a = (canonical(r1, handles), [canonical(p, handles) for p in p1])
        b = (canonical(r2, handles), [canonical(p, handles) for p in p2])
        if a != b:
            problems.append(f"{name}: header {r1}({', '.join(p1)}) vs Swift {r2}({', '.join(p2)})")
    for p in problems:
        print("check_header:", p)
    print(f"check_header: {len(ours)} functions declared, {len(exported)} exported, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
