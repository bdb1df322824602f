"""`python -m shopql` runs the shopql command (as `python -m shopql.cli` does)."""

from shopql.cli.main import main

if __name__ == "__main__":
    main()
