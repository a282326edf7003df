#!/usr/bin/env python3
"""Checks every citation of Hearth's documents by section: each
`docs/DESIGN.md §N.M`, `docs/ARCHITECTURE.md §N.M` or
`schema/PROTOCOL.md §N.M` (with or without the directory, `.md` or
backticks, and the sections listed after it: `§3.1, §3.3`, `§5.3 and §8.2`)
in node/, client/, schema/, tests/, docs/, deploy/ and README.md must name a
section that is a heading of the cited file. A bare `§N.M` inside one of the
three documents cites that document itself. A section may also be cited by
name (`PROTOCOL.md §Pairing`): some heading must then hold that word.

Headings are read in both styles the documents use: `## §5 Title`,
`### §3.6a Title` (DESIGN.md, ARCHITECTURE.md) and `## 5. Title`,
`### 5.2 Title` (PROTOCOL.md).

No file may cite a folder outside the repository (a sibling checkout) either.

    tests/docs/check_citations.py [ROOT]     check the tree at ROOT (default: the repository)
    tests/docs/check_citations.py --self-test

Exits 0 when every citation holds, 1 with one line per broken one
(file:line) otherwise. ctest runs both (label `unit`).
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tree_check  # noqa: E402

DOCS = {
    "DESIGN": "docs/DESIGN.md",
    "ARCHITECTURE": "docs/ARCHITECTURE.md",
    "PROTOCOL": "schema/PROTOCOL.md",
}
SCANNED = ["node", "client", "schema", "tests", "docs", "deploy", "README.md"]
SKIPPED_DIRS = {".git", "__pycache__", "build", "node_modules"}
TEXT_SUFFIXES = {
    ".c", ".cc", ".cpp", ".h", ".hpp", ".py", ".md", ".txt", ".capnp", ".sql",
    ".cmake", ".sh", ".json", ".toml", ".yaml", ".yml", ".service", ".conf", ".in",
    ".html", ".css", ".js", ".ini", ".desktop", ".plist", "",
}

# `1`, `5.2`, `3.6a`, `10.3.1`; a name: a word of letters.
SECTION = r"(?:\d+(?:\.\d+)*[a-z]?|[A-Za-z][A-Za-z-]*)"
# What may stand between a file's name and its first section: a closing
# backtick, spaces, a comma, and line breaks with comment markers.
GAP = r"`?(?:[ \t,]|\n[ \t]*(?://+|#+|--|\*|;+)?)*"
# What joins the sections of one citation: `, §x`, ` and §x`, `–§x`.
JOIN = r"(?:\s*(?:,|and|or|to|–|-)\s*(?:(?://+|#+|--|\*)\s*)?)"
CITATION = re.compile(
    r"(?<![A-Za-z0-9_])(?:docs/|schema/|\.\./)*(DESIGN|ARCHITECTURE|PROTOCOL)(?:\.md)?" + GAP +
    r"(§" + SECTION + r"(?:" + JOIN + r"§" + SECTION + r")*)")
SECTION_REF = re.compile(r"§(" + SECTION + r")")
BARE = re.compile(r"(?<![A-Za-z0-9_.`])§(" + SECTION + r")")
HEADING = re.compile(r"^#{1,6}[ \t]+§?(\d+(?:\.\d+)*[a-z]?)\.?(?=[ \t]|$)(.*)$", re.M)
# A path that leaves the repository for a sibling folder (spelled in two
# pieces so that this file does not match itself).
OUTSIDE_NAME = "sha" + "red"
SHARED = re.compile(r"\.\./" + OUTSIDE_NAME + r"\b")


def headings(text):
    """The section numbers of a document, and the words of its headings."""
    numbers, words = set(), set()
    for m in HEADING.finditer(text):
        numbers.add(m.group(1))
        words.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]*", m.group(2)))
    return numbers, words


def section_exists(section, numbers, words):
    section = section.rstrip(".")
    if section[0].isdigit():
        return section in numbers
    return section.lower() in words


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def scanned_files(root):
    for top in SCANNED:
        path = os.path.join(root, top)
        if os.path.isfile(path):
            yield path
            continue
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
            for name in sorted(filenames):
                if os.path.splitext(name)[1] in TEXT_SUFFIXES:
                    yield os.path.join(dirpath, name)


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (UnicodeDecodeError, OSError):
        return None


def check_tree(root):
    index = {}
    errors = []
    for key, rel in DOCS.items():
        text = read_text(os.path.join(root, rel))
        if text is None:
            errors.append(f"{rel}: the cited document is missing")
            index[key] = (set(), set())
        else:
            index[key] = headings(text)
    own_doc = {rel: key for key, rel in DOCS.items()}
    for path in scanned_files(root):
        text = read_text(path)
        if text is None:
            continue
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        if rel == "tests/docs/check_citations.py":
            continue  # its own patterns and examples
        for m in SHARED.finditer(text):
            errors.append(f"{rel}:{line_of(text, m.start())}: cites ../{OUTSIDE_NAME}, outside this repository")
        cited_spans = []
        for m in CITATION.finditer(text):
            key = m.group(1)
            numbers, words = index[key]
            cited_spans.append((m.start(2), m.end(2)))
            for s in SECTION_REF.finditer(m.group(2)):
                if not section_exists(s.group(1), numbers, words):
                    offset = m.start(2) + s.start()
                    errors.append(f"{rel}:{line_of(text, offset)}: {DOCS[key]} has no section "
                                  f"§{s.group(1).rstrip('.')}")
        # Inside a document, a bare § is the document's own section.
        key = own_doc.get(rel)
        if key is None:
            continue
        numbers, words = index[key]
        for s in BARE.finditer(text):
            if any(a <= s.start() < b for a, b in cited_spans):
                continue
            section = s.group(1)
            if not section[0].isdigit():
                continue  # a word after § in prose names nothing here
            if not section_exists(section, numbers, words):
                errors.append(f"{rel}:{line_of(text, s.start())}: {rel} has no section "
                              f"§{section.rstrip('.')}")
    return errors


def self_test():
    files = {
        "docs/DESIGN.md": "# D\n## §1 One\n### §1.1 First\n### §3.6a Odd\nSee §1.1 and §2.\n",
        "docs/ARCHITECTURE.md": "# A\n## §2 Layers\n### §2.2 Direction\n",
        "schema/PROTOCOL.md": "# P\n## 5. Pairing\n### 5.2 Pairing by code\nAs §5.2 says; §6.\n",
        "node/a.cpp": ("// docs/DESIGN.md §1.1, §3.6a (schema/PROTOCOL.md §5.2).\n"
                       "// `schema/PROTOCOL.md` §5 and §5.3\n"
                       "// docs/ARCHITECTURE.md\n// §2.2 and §2.9. PROTOCOL.md §Pairing, §Session\n"),
        "tests/b.py": "# see ../" + OUTSIDE_NAME + "/x and DESIGN.md §9.\n",
        "README.md": "[x](docs/DESIGN.md) §1 holds.\n",
    }
    expected = {
        "docs/DESIGN.md:5: docs/DESIGN.md has no section §2",
        "schema/PROTOCOL.md:4: schema/PROTOCOL.md has no section §6",
        "node/a.cpp:2: schema/PROTOCOL.md has no section §5.3",
        "node/a.cpp:4: docs/ARCHITECTURE.md has no section §2.9",
        "node/a.cpp:4: schema/PROTOCOL.md has no section §Session",
        f"tests/b.py:1: cites ../{OUTSIDE_NAME}, outside this repository",
        "tests/b.py:1: docs/DESIGN.md has no section §9",
    }
    with tempfile.TemporaryDirectory() as root:
        for rel, text in files.items():
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        got = set(check_tree(root))
    if got != expected:
        for e in sorted(expected - got):
            print("missed:", e)
        for e in sorted(got - expected):
            print("unexpected:", e)
        return 1
    print("self-test passed")
    return 0


def main():
    return tree_check.run(check_tree, self_test, lambda n: f"{n} broken citation(s)")


if __name__ == "__main__":
    sys.exit(main())
