# newsarchive: `make demo` builds and shows a sample archive; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOME_DIR ?= index
SAMPLES := $(HOME_DIR)/samples
COUNT ?= 300

.PHONY: demo test lint bench eval-people browser-deps clean

$(BIN)/newsarchive: pyproject.toml requirements-nlp.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps --require-hashes --ignore-requires-python \
		-r requirements-nlp.txt
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/newsarchive
	$(BIN)/newsarchive generate --count $(COUNT) --out $(SAMPLES)
	$(BIN)/newsarchive ingest --home $(HOME_DIR) $(SAMPLES) $(wildcard ../shared/samples/seed-article.txt)
	$(BIN)/newsarchive stats --home $(HOME_DIR)
	@if $(BIN)/newsarchive search --help >/dev/null 2>&1; then \
		$(BIN)/newsarchive search --home $(HOME_DIR) "talks" --per-page 5; fi
	@if $(BIN)/newsarchive serve --help >/dev/null 2>&1; then \
		echo "Serving the sample archive on http://127.0.0.1:5000 (Ctrl-C to stop)"; \
		$(BIN)/newsarchive serve --home $(HOME_DIR); fi

# Browser tests drive Debian's chromium; install it when we may (CI runs as root).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "chromium not installed and not root: browser tests will be skipped"; fi; }

# Lint, formatting and types of the whole tree, before the suite runs.
lint: $(BIN)/newsarchive
	$(BIN)/ruff check archive tests bench
	$(BIN)/ruff format --check archive tests bench
	$(BIN)/mypy

test: $(BIN)/newsarchive browser-deps lint
	$(BIN)/python -m pytest -q

# bench_ingest --real: a full ingest of the 10,000 real AllSides articles (skipped without
# ../shared): time until keyword-searchable, until extraction is complete, peak memory.
# bench_http: /api/search over HTTP against FTS5 on those 10,000 articles (ingests them again).
bench: $(BIN)/newsarchive
	$(BIN)/python bench/bench_ingest.py --real 10000
	@for script in bench/bench_extract.py bench/bench_search.py bench/bench_web.py \
		bench/bench_load.py bench/bench_http.py; do \
		if [ -f $$script ]; then $(BIN)/python $$script || exit 1; fi; done

# Scale benchmark on news remixed from ../shared/corpus/allsides: make bench-scale COUNT=1000000
# (100,000 by default: a target variable, which a COUNT given to make still overrides).
.PHONY: bench-scale
bench-scale: COUNT = 100000
bench-scale: $(BIN)/newsarchive
	$(BIN)/python bench/bench_scale.py --count $(COUNT)

# People and outlets on real news: gold-80, CoNLL testa, top-100 of the 10,000 AllSides
# articles (extraction cached under /tmp; EVAL_ARGS="--limit 1000" or "--home DIR" for less).
eval-people: $(BIN)/newsarchive
	$(BIN)/python bench/eval_people.py $(EVAL_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info test-artifacts
