.PHONY: help dev test test-pg seed lint typecheck security lock bench translations compile-translations
help:            ## list the targets
	@grep -E '^[a-z-]+:.*##' Makefile | sed 's/:.*##/\t/'
dev:             ## install, create the SQLite database, load demo data, serve on 127.0.0.1:5000
	bash scripts/dev
test:            ## run the whole test suite on SQLite
	bash scripts/run-tests
test-pg:         ## run the whole test suite on the local PostgreSQL
	AIA_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test bash scripts/run-tests
seed:            ## load the demo data into the configured database
	AIA_ENV=development .venv/bin/aia seed-demo
lint:            ## ruff over the whole project, as CI runs it (lint, then the format check)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
typecheck:       ## mypy over the app, as CI runs it (strict for aia/engine)
	.venv/bin/mypy aia
security:        ## bandit over the app, pip-audit over the lock, as CI runs them
	.venv/bin/bandit -c pyproject.toml -r aia config.py -q
	bash scripts/audit-dependencies
lock:            ## rewrite requirements.lock from pyproject.toml (after a dependency changes)
	.venv/bin/uv pip compile pyproject.toml --extra test --extra redis --generate-hashes -q \
	  --python-version 3.11 -o requirements.lock
bench:           ## print the benchmark figures
	.venv/bin/python bench/wizard.py
translations:    ## extract the interface's strings and bring every catalogue up to date with them
	mkdir -p build
	.venv/bin/pybabel extract --mapping-file babel.cfg --keyword _l --keyword N_ --add-location file --sort-output \
	  --project aia --copyright-holder "aia contributors" --output-file build/messages.pot aia
	.venv/bin/pybabel update --input-file build/messages.pot --output-dir aia/translations --ignore-obsolete
compile-translations: ## compile the catalogues (.po) into the .mo files the app reads
	.venv/bin/pybabel compile --directory aia/translations --statistics
