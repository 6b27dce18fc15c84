#!/usr/bin/env python3
"""Turns a .cu file into host C++ for the emulated build, keeping every line where it was:

  kernel<<<grid, block, smem, stream>>>(args)
      -> ::esm2j_emu::launch("kernel", __PRETTY_FUNCTION__, __FILE__, __LINE__,
                             ::esm2j_emu::LaunchConfig(grid, block, smem, stream), [&]() { kernel(args); })
     (the kernel is called, so template arguments deduce exactly as in the launch)
  __shared__ alignas(16) T name[N][M];
      -> typedef T esm2j_emu_name_t[N][M]; auto& name = ::esm2j_emu::shared<esm2j_emu_name_t, 16, __COUNTER__>(...);
  extern __shared__ T name[];
      -> T* name = reinterpret_cast<T*>(::esm2j_emu::dynamic_shared(...));

and stops (exit status 2, file:line named) at inline asm that has no emulation: an `asm` statement must
sit in the device branch of an `#if defined(ESM2J_EMU)` / `#else` hook (cuda/README.md).

usage: rewrite.py INPUT.cu OUTPUT.cpp [DISPLAY_PATH]       (or --check FILE... to only check the asm)
"""
import re
import sys


def blank_comments_and_strings(text):
    """The text with comments and string/char literals replaced by spaces (newlines kept), same length."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if text[k] != "\n":
                    out[k] = " "
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and (text[i - 1].isalnum()):  # digit separator 1'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            for k in range(i + 1, min(j, n)):
                if text[k] != "\n":
                    out[k] = " "
            i = j + 1
        else:
            i += 1
    return "".join(out)


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


class RewriteError(Exception):
    pass


def match_forward(code, i, open_c, close_c):
    """Index just past the bracket that closes the one at code[i]."""
    depth = 0
    for j in range(i, len(code)):
        if code[j] == open_c:
            depth += 1
        elif code[j] == close_c:
            depth -= 1
            if depth == 0:
                return j + 1
    raise RewriteError("unbalanced %s" % open_c)


def kernel_start(code, end):
    """Start of the kernel expression (name, ::, template arguments) that ends just before `end`."""
    j = end
    while j > 0 and code[j - 1].isspace():
        j -= 1
    if j > 0 and code[j - 1] == ">":
        depth = 0
        k = j - 1
        while k >= 0:
            if code[k] in ">)":
                depth += 1
            elif code[k] in "<(":
                depth -= 1
                if depth == 0:
                    break
            k -= 1
        j = k
    while j > 0 and (code[j - 1].isalnum() or code[j - 1] in "_:"):
        j -= 1
    return j


def split_top_level(s):
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def rewrite_launches(text, code, edits):
    pos = 0
    while True:
        i = code.find("<<<", pos)
        if i < 0:
            return
        j = code.find(">>>", i + 3)
        if j < 0:
            raise RewriteError("line %d: <<< without >>>" % line_of(text, i))
        k = j + 3
        while k < len(code) and code[k].isspace():
            k += 1
        if k >= len(code) or code[k] != "(":
            raise RewriteError("line %d: a launch's >>> must be followed by its arguments" % line_of(text, i))
        args_end = match_forward(code, k, "(", ")")
        start = kernel_start(code, i)
        kernel = text[start:i].strip()
        if not kernel:
            raise RewriteError("line %d: no kernel name before <<<" % line_of(text, i))
        config = text[i + 3:j]
        args = text[k:args_end]
        name = " ".join(kernel.split())
        new = ('::esm2j_emu::launch("%s", __PRETTY_FUNCTION__, __FILE__, __LINE__, ::esm2j_emu::LaunchConfig(%s), '
               '[&]() { %s%s; })' % (name, config, text[start:i].rstrip(), args))
        edits.append((start, args_end, new))
        pos = args_end


SHARED = re.compile(
    r"(?P<extern>\bextern\s+)?__shared__\s+(?:alignas\s*\(\s*(?P<align>[^)]*)\)\s*)?(?P<type>[^;\[\]=]*?)\s*"
    r"\b(?P<name>[A-Za-z_]\w*)\s*(?P<dims>(?:\[[^\];]*\]\s*)*);")


def rewrite_shared(text, code, edits):
    for m in SHARED.finditer(code):
        # Work on the original text of the match (comments inside a declaration are blanked in `code`).
        name, type_, dims = m.group("name"), m.group("type").strip(), text[m.start("dims"):m.end("dims")].strip()
        if not type_:
            raise RewriteError("line %d: cannot read the type of __shared__ %s" % (line_of(text, m.start()), name))
        align = m.group("align") or "0"
        where = '"%s", __FILE__, __LINE__' % name
        if m.group("extern"):
            if dims != "[]":
                raise RewriteError("line %d: extern __shared__ %s must be an unsized array" % (line_of(text, m.start()), name))
            new = "%s* %s = reinterpret_cast<%s*>(::esm2j_emu::dynamic_shared(%s));" % (type_, name, type_, where)
        else:
            new = ("typedef %s esm2j_emu_%s_t%s; auto& %s = ::esm2j_emu::shared<esm2j_emu_%s_t, %s, __COUNTER__>(%s);"
                   % (type_, name, dims, name, name, align, where))
        # Keep the line count: the declaration's own newlines (if any) go after it.
        new += "\n" * text.count("\n", m.start(), m.end())
        edits.append((m.start(), m.end(), new))


def check_asm(text, code, path):
    """Every `asm` must be in the device branch of an ESM2J_EMU hook."""
    frames = []  # [mentions_emu, negated, in_else]
    errors = []
    for lineno, (line, cline) in enumerate(zip(text.split("\n"), code.split("\n")), 1):
        s = cline.strip()
        m = re.match(r"#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)", s)
        if m:
            kw, cond = m.group(1), m.group(2)
            if kw in ("if", "ifdef", "ifndef"):
                emu = "ESM2J_EMU" in cond
                negated = kw == "ifndef" or bool(re.search(r"!\s*defined\s*\(?\s*ESM2J_EMU", cond))
                frames.append([emu, negated, False])
            elif kw in ("elif", "else") and frames:
                frames[-1][2] = True
            elif kw == "endif" and frames:
                frames.pop()
            continue
        if re.search(r"\basm\b|\b__asm__\b", cline):
            device_branch = any(emu and (negated != in_else) for emu, negated, in_else in frames)
            if not device_branch:
                errors.append("%s:%d: inline asm with no emulation: put it in the device branch of an "
                              "`#if defined(ESM2J_EMU)` ... `#else` hook that calls the emulation "
                              "(cuda/emu/esm2j_emu.h), or exclude this kernel from the emulated build by name "
                              "(cuda/emu/CMakeLists.txt)" % (path, lineno))
    return errors


def rewrite(text, path):
    code = blank_comments_and_strings(text)
    errors = check_asm(text, code, path)
    if errors:
        raise RewriteError("\n".join(errors))
    edits = []
    rewrite_launches(text, code, edits)
    rewrite_shared(text, code, edits)
    edits.sort()
    out, pos = [], 0
    for start, end, new in edits:
        if start < pos:
            raise RewriteError("line %d: overlapping rewrites" % line_of(text, start))
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return '#line 1 "%s"\n' % path + "".join(out)


def main(argv):
    if len(argv) >= 2 and argv[1] == "--check":
        errors = []
        for p in argv[2:]:
            with open(p) as f:
                t = f.read()
            errors += check_asm(t, blank_comments_and_strings(t), p)
        for e in errors:
            print(e, file=sys.stderr)
        return 2 if errors else 0
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = argv[1], argv[2]
    shown = argv[3] if len(argv) == 4 else src
    with open(src) as f:
        text = f.read()
    try:
        out = rewrite(text, shown)
    except RewriteError as e:
        print("rewrite.py: %s: %s" % (shown, e), file=sys.stderr)
        return 2
    if text.count("\n") + 1 != out.count("\n"):
        print("rewrite.py: %s: internal error: the line count changed" % shown, file=sys.stderr)
        return 2
    with open(dst, "w") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
