#!/usr/bin/env python3
"""Checks every #include of node/ and client/ against Hearth's layer graph
(docs/ARCHITECTURE.md §2.2): a module includes only the modules it is
allowed to, so dependencies point one way, and the heavy or system headers
(Asio, Cap'n Proto's generated headers, SQLite, CLI11) stay where they
belong.

    tests/layers/check_layers.py [ROOT]     check the tree at ROOT (default: the repository)
    tests/layers/check_layers.py --self-test

Exits 0 when every include is allowed, 1 with one line per violation
otherwise. --self-test builds small trees in a temporary directory and checks
that the checker refuses a lower module including a higher one (and the other
rules), and accepts a tree that keeps them. ctest runs both (label `unit`).
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tree_check  # noqa: E402

# The daemon's modules, bottom up, and what each may include besides itself.
# A module may include only modules listed before it; crypto and model, and
# proto and sync, are side by side and do not include each other.
DAEMON = {
    "util": set(),
    "crypto": {"util"},
    "model": {"util"},
    "prompts": {"util", "model"},
    "wire": {"util", "crypto", "model"},
    "store": {"util", "crypto", "model", "prompts", "wire"},
    # The settings file (HOME/hearth.conf) and its copies in the store; the
    # CLI writes it too when hearthd does not run.
    "config": {"util", "model", "store"},
    # hearthd under systemd: sd_notify and the journal (libsystemd).
    "system": {"util"},
    # The --help tables printed as man pages and completions (header-only,
    # CLI11), for hearthd's and the CLI's main.cpp.
    "cli": {"util", "wire"},
    "proto": {"util", "crypto", "model", "wire"},
    "sync": {"util", "crypto", "model", "prompts", "wire", "store"},
    "runtime": {"util", "crypto", "model", "prompts", "wire", "store", "sync"},
    "net": {"util", "crypto", "model", "prompts", "wire", "store", "config", "proto", "sync",
            "runtime"},
    "control": {"util", "crypto", "model", "prompts", "wire", "store", "config", "sync", "runtime",
                "net"},
    "daemon": {"util", "crypto", "model", "prompts", "wire", "store", "config", "system", "proto",
               "sync", "runtime", "net", "control"},
}
ALL_DAEMON = set(DAEMON)
# node/main.cpp: the top; it needs only the Daemon and process set-up, and
# its --help as a man page (cli) and the journal's log format (system).
MAIN_ALLOWED = {"util", "crypto", "daemon", "cli", "system"}
# The CLI links hearth_core only (node/CMakeLists.txt): of the daemon's
# modules it may include these, of store only what makes a home, the
# settings file (`hearth config` while hearthd does not run) and the --help
# tables as man pages and completions.
CLIENT_ALLOWED = {"util", "crypto", "model", "client"}
CLIENT_FILES = {"wire/capnp_message.h", "store/home.h", "config/daemon_config.h",
                "cli/cli_doc.h", "cli/man_extras.h"}

# Headers generated from schema/*.capnp: the edge where capnp types become
# model values (docs/ARCHITECTURE.md §2.2).
SCHEMA_ALLOWED = ("node/wire/", "node/control/", "client/control_codec.cpp")
# Asio: the socket layers only. In a header only where a member or a
# signature needs it.
ASIO_ALLOWED = ("node/net/", "node/control/", "node/daemon/", "node/main.cpp")
ASIO_HEADER_ALLOWED = (
    "node/net/",
    "node/control/server.h",
    "node/control/auto_lock.h",
    "node/control/pause_release.h",
    "node/control/passphrase_gate.h",
    "node/daemon/network_services.h",
)
# What model/ never includes: its reducers take and return plain values.
MODEL_FORBIDDEN = ("asio", "capnp/", "kj/", "sqlite3.h", "schema/")
SQLITE_ALLOWED = ("node/store/",)
CLI11_ALLOWED = ("client/main.cpp", "node/main.cpp", "node/cli/")

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')


def module_of(rel):
    """node/store/db.h -> ("daemon", "store"); client/x.cpp -> ("client", "client")."""
    parts = rel.split("/")
    if parts[0] == "node":
        if len(parts) == 2:
            return "main", "main"
        return "daemon", parts[1]
    if parts[0] == "client":
        return "client", "client"
    return None, None


def included_module(path):
    head = path.split("/")[0]
    if head == "client":
        return "client"
    if head in ALL_DAEMON or head == "schema":
        return head
    return None


def check_file(rel, text):
    kind, module = module_of(rel)
    errors = []
    for number, line in enumerate(text.splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        quoted, path = m.group(1) == '"', m.group(2)
        where = f"{rel}:{number}: {path}"
        system = path if not quoted else ""
        if system.startswith("asio") or path.startswith("asio/") or path == "asio.hpp":
            if not rel.startswith(ASIO_ALLOWED):
                errors.append(f"{where}: Asio outside net/, control/ and daemon/")
            elif rel.endswith(".h") and not rel.startswith(ASIO_HEADER_ALLOWED):
                errors.append(f"{where}: Asio in a header that does not need it")
        if path == "sqlite3.h" and not rel.startswith(SQLITE_ALLOWED):
            errors.append(f"{where}: SQLite outside store/")
        if path.startswith("CLI/") and not rel.startswith(CLI11_ALLOWED):
            errors.append(f"{where}: CLI11 outside the two main.cpp and cli/")
        if module == "model" and path.startswith(MODEL_FORBIDDEN):
            errors.append(f"{where}: model/ stays free of Asio, Cap'n Proto and SQLite")
        if not quoted:
            continue
        target = included_module(path)
        if target is None:
            continue  # a header of a library, or one next to the file (fuzz_support.h)
        if target == "schema":
            if not rel.startswith(SCHEMA_ALLOWED):
                errors.append(f"{where}: generated schema headers belong to wire/ and control/")
            continue
        if kind == "client":
            if target not in CLIENT_ALLOWED and path not in CLIENT_FILES:
                errors.append(f"{where}: the CLI includes only util, crypto, model, "
                              "wire/capnp_message.h, store/home.h, config/daemon_config.h "
                              "and cli/ of node/")
            continue
        if kind == "main":
            if target not in MAIN_ALLOWED:
                errors.append(f"{where}: main.cpp wires only the Daemon")
            continue
        if target == "client":
            errors.append(f"{where}: the daemon never includes the CLI")
        elif target != module and target not in DAEMON[module]:
            errors.append(f"{where}: {module}/ may not include {target}/ (layers point down)")
    return errors


def check_tree(root):
    errors = []
    for top in ("node", "client"):
        base = os.path.join(root, top)
        for dirpath, _, files in os.walk(base):
            for name in sorted(files):
                if not name.endswith((".h", ".cpp")):
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                kind, module = module_of(rel)
                if kind == "daemon" and module not in DAEMON:
                    errors.append(f"{rel}: module {module}/ is not in the layer graph "
                                  "(tests/layers/check_layers.py, docs/ARCHITECTURE.md §2.2)")
                    continue
                with open(full, encoding="utf-8") as f:
                    errors.extend(check_file(rel, f.read()))
    return errors


def self_test():
    """The checker refuses what it must and accepts what it may."""
    cases = [
        # (files, expected to pass)
        ({"node/store/db.h": '#include "util/status.h"\n#include "wire/event_codec.h"\n'}, True),
        ({"node/store/db.h": '#include "net/dialer.h"\n'}, False),           # lower includes higher
        ({"node/model/state.h": '#include "store/db.h"\n'}, False),
        ({"node/crypto/noise.h": '#include "model/payload.h"\n'}, False),    # side by side
        ({"node/sync/session.h": '#include "runtime/daemon_state.h"\n'}, False),
        ({"node/net/link.h": '#include "control/handler.h"\n'}, False),
        ({"node/control/handler.h": '#include "daemon/daemon.h"\n'}, False),
        ({"node/control/handler.h": '#include "client/reply.h"\n'}, False),
        ({"node/model/payload.h": "#include <asio/io_context.hpp>\n"}, False),
        ({"node/model/payload.h": "#include <capnp/message.h>\n"}, False),
        ({"node/store/journal.h": "#include <asio/io_context.hpp>\n"}, False),
        ({"node/control/handler.h": "#include <asio/io_context.hpp>\n"}, False),  # header
        ({"node/control/handler.cpp": "#include <asio/io_context.hpp>\n"}, True),
        ({"node/sync/session.cpp": '#include "schema/peer.capnp.h"\n'}, False),
        ({"node/wire/peer_codec.cpp": '#include "schema/peer.capnp.h"\n'}, True),
        ({"node/weird/thing.h": '#include "util/status.h"\n'}, False),     # unknown module
        ({"client/cmd_x.cpp": '#include "store/store.h"\n'}, False),
        ({"client/cmd_x.cpp": '#include "store/home.h"\n#include "crypto/identity.h"\n'}, True),
        ({"client/cmd_x.cpp": '#include "schema/control.capnp.h"\n'}, False),
        ({"client/cmd_x.cpp": "#include <CLI/CLI.hpp>\n"}, False),
        ({"node/main.cpp": '#include "daemon/daemon.h"\n#include <CLI/CLI.hpp>\n'}, True),
        ({"node/main.cpp": '#include "net/listener.h"\n'}, False),
        ({"node/config/daemon_config.cpp": '#include "control/auto_lock.h"\n'}, False),
        ({"node/config/store_mirror.h": '#include "store/db.h"\n'}, True),
        ({"node/net/listen_control.h": '#include "config/daemon_config.h"\n'}, True),
        ({"node/system/systemd.h": '#include "runtime/daemon_state.h"\n'}, False),
        ({"client/cmd_x.cpp": '#include "config/daemon_config.h"\n'}, True),
        ({"client/cmd_x.cpp": '#include "config/store_mirror.h"\n'}, False),
        ({"node/cli/cli_doc.h": "#include <CLI/CLI.hpp>\n"}, True),
        ({"node/cli/cli_doc.h": '#include "store/db.h"\n'}, False),
    ]
    failures = 0
    for files, should_pass in cases:
        with tempfile.TemporaryDirectory() as root:
            for rel, text in files.items():
                path = os.path.join(root, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            errors = check_tree(root)
            if (not errors) != should_pass:
                failures += 1
                print(f"self-test: {files} should {'pass' if should_pass else 'fail'}; "
                      f"errors: {errors}")
    print(f"self-test: {len(cases) - failures} of {len(cases)} cases as expected")
    return 1 if failures else 0


def main():
    return tree_check.run(check_tree, self_test,
                          lambda n: f"{n} include(s) break the layer graph",
                          "every include of node/ and client/ keeps the layer graph")


if __name__ == "__main__":
    sys.exit(main())
