# The two commands of the README, plus helpers.  Each script does its own setup.
.PHONY: run test lint bench pot screenshots fuzz core-tests

run:
	scripts/run.sh

test:
	scripts/test.sh

lint:
	scripts/lint.sh

bench:
	scripts/bench.sh

pot:
	scripts/pot.sh

screenshots:
	scripts/screenshots.sh

fuzz:
	scripts/fuzz.sh

core-tests:
	scripts/core_tests.sh
