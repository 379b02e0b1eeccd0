"""``python -m tempdata``: the command line, as the ``tempdata`` executable runs it."""

from tempdata.cli import main

if __name__ == "__main__":
    main()
