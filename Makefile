# Two commands: `make run` sets everything up and serves; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: install system-deps postgres redis run test soak bench lint translations clean

install: $(STAMP) translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,redis]'
	touch $(STAMP)

# Compiled message catalogs are build output (ignored by git); compile them on every install.
translations: $(STAMP)
	@if [ -d survey/translations ]; then $(BIN)/pybabel -q compile -d survey/translations -f; fi

# Debian's Chromium for the browser tests (never a browser downloaded by Playwright),
# poppler for checking PDF pages, fonts for Arabic script in charts and PDFs, R with
# haven (the SPSS/Stata files are read back by R in the tests) and survey (the R
# reference scripts in tests/reference/ and the R baseline of `make bench`).
SYSTEM_PACKAGES := chromium fonts-noto-core fonts-dejavu-core poppler-utils r-base-core r-cran-survey r-cran-haven r-cran-jsonlite
system-deps:
	@if [ ! -x $(CHROMIUM) ] || ! command -v pdftoppm >/dev/null || ! fc-list 2>/dev/null | grep -qi 'Noto Sans Arabic' \
		|| ! command -v Rscript >/dev/null || ! Rscript -e 'library(haven); library(survey); library(jsonlite)' >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
		else \
			echo "Chromium, fonts, poppler or R missing: run 'sudo apt-get install $(SYSTEM_PACKAGES)'"; \
		fi; \
	fi

# Start the local PostgreSQL cluster when it is installed but down.
postgres:
	@if command -v pg_lsclusters >/dev/null 2>&1 && pg_lsclusters -h | grep -qv online; then \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; \
	fi

# Redis for the scaling test (rate limits shared by two app processes): Debian's
# redis-server, installed when missing (as root) and started when nothing answers on 6379.
redis:
	@if ! command -v redis-server >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
		else \
			echo "redis-server missing: run 'sudo apt-get install redis-server'"; \
		fi; \
	fi
	@if command -v redis-server >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then \
		redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no; \
		for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done; \
	fi

run: install
	$(BIN)/beboer init-db
	$(BIN)/beboer load-demo --if-empty
	$(BIN)/beboer create-user --first-run
	$(BIN)/beboer serve --host 127.0.0.1 --port 5000

test: install system-deps postgres redis
	$(BIN)/python -m pytest -q

# The long version of the fault and fuzz tests: 25 kill -9 cycles per database and
# 2000 schemathesis examples per operation and generation mode.
soak: install system-deps postgres redis
	BEBOER_FAULT_CYCLES=25 BEBOER_FUZZ_EXAMPLES=2000 $(BIN)/python -m pytest -q -s \
		tests/survey/test_faults.py tests/survey/test_api_fuzz.py tests/survey/test_backup.py

bench: install postgres
	$(BIN)/python -m bench
	$(BIN)/python -m bench.submissions

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
