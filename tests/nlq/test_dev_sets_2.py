"""Shard 2 of 3 of the dev sets' scoring (test_dev_sets.py deals the runs, has the rules and the
shape tests): a file of its own so that pytest-xdist's `--dist loadfile` runs it beside the others."""

from tests.nlq.test_dev_sets import shard_test

test_answered_correctly_or_refused_never_wrong = shard_test(1)
