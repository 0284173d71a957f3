# Samtale: the two commands of the README, and the checks CI runs.
SHELL := /bin/bash
VENV := .venv
PYTEST := $(VENV)/bin/pytest

.PHONY: run test test-postgres test-browser lint messages css screenshots bench bench-quick bench-large clean

## make run: set up on a fresh machine, then start the app and its worker with demo data on SQLite.
run:
	@scripts/bootstrap runtime
	@scripts/run

## make test: the whole test suite on SQLite (browser tests included), installing what it needs.
test:
	@scripts/bootstrap dev
	@scripts/pytest -n 2

## The suite on PostgreSQL (DATABASE_URL must name a database whose role may create databases).
test-postgres:
	@scripts/bootstrap dev
	@scripts/pytest -n 2 -m "not browser"

test-browser:
	@scripts/bootstrap dev
	@scripts/pytest -m browser

## Benchmarks (bench/README.md): 1,000 and 50,000 people on SQLite and PostgreSQL, one table against the
## targets, written to bench/results/. `make bench-quick`: 1,000 people, one run of each.
bench:
	@scripts/bootstrap bench
	.venv/bin/python bench/run.py

bench-quick:
	@scripts/bootstrap bench
	.venv/bin/python bench/run.py --quick

## 200,000 people on SQLite and PostgreSQL: import, re-import, launch, every page (about an hour).
bench-large:
	@scripts/bootstrap bench
	.venv/bin/python bench/run.py --large

## Static checks, as CI runs them.
lint:
	@scripts/bootstrap dev
	@scripts/lint

## Extract the strings to translate into the Danish catalogue (locale/da), then compile it.
messages:
	@scripts/bootstrap dev
	SAMTALE_DEBUG=1 $(VENV)/bin/python manage.py makemessages -l da --no-obsolete --add-location file \
	  -i .venv -i node_modules -i staticfiles -i bench -i '*/tests/*'
	SAMTALE_DEBUG=1 $(VENV)/bin/python manage.py compilemessages -l da -i .venv -i node_modules

## Rebuild the design system's stylesheet, fonts and icons into static/dkfds (committed; README "Dependencies").
css:
	@scripts/build-css

## The README's pictures of each persona's start page (docs/screenshots), from the demo.
screenshots:
	@scripts/bootstrap dev
	@scripts/screenshots

clean:
	rm -rf $(VENV) node_modules staticfiles .mypy_cache .ruff_cache .pytest_cache
