"""The command line shared by the repository checks (tests/docs/check_citations.py,
tests/layers/check_layers.py): `SCRIPT [ROOT]` checks the tree at ROOT (the
repository by default) and prints each error; `SCRIPT --self-test` runs the
check's own cases. Exit 0 when all is well, 1 otherwise."""
import os
import sys


def run(check_tree, self_test, broken, fine=None):
    """check_tree(root) -> [error lines]; self_test() -> exit code;
    broken(n) -> the summary line for n errors; fine: the line printed
    when there are none (or nothing)."""
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    here = os.path.dirname(os.path.abspath(sys.argv[0]))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..")
    errors = check_tree(os.path.abspath(root))
    for e in errors:
        print(e)
    if errors:
        print(broken(len(errors)))
        return 1
    if fine:
        print(fine)
    return 0
