"""The `ofsted-kg` command and `python -m ofsted_kg`: the command line, ended by Ctrl-C at any moment as click
ends it (its "Aborted!" and exit status 1) rather than with Python's traceback."""

import sys


def run() -> None:
    """Import the command line, then run it. Importing takes about 0.15 s (click, pyoxigraph, the loaders), and
    click handles Ctrl-C only once the command runs: before this, a Ctrl-C in that time printed a traceback
    from wherever the import stood."""
    try:
        from .cli import main
    except KeyboardInterrupt:
        print("\nAborted!", file=sys.stderr)
        sys.exit(1)
    main()


if __name__ == "__main__":
    run()
