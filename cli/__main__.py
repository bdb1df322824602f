"""`python -m shopql.cli` runs the shopql command (used by tests in subprocesses)."""

from shopql.cli.main import main

main()
