# ofsted-kg: `make demo` builds a graph from the bundled examples; `make test` runs the tests.
# Both create .venv if it is missing and install what they need into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= demo-output/store
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ofsted-kg load --store $(STORE) examples/reports
	$(BIN)/ofsted-kg info --store $(STORE)
	@echo; echo "== ICBs shared by several partnerships"
	$(BIN)/ofsted-kg query shared-icbs --store $(STORE)
	@echo; echo "== Inspectors in more than one inspection"
	$(BIN)/ofsted-kg query recurring-inspectors --store $(STORE)
	@echo; echo "== The most common failings"
	$(BIN)/ofsted-kg query common-failings --store $(STORE) --limit 10
	@echo; echo "== Partnerships and inspectors as networks (GraphML and GEXF in demo-output/networks)"
	$(BIN)/ofsted-kg analyse --store $(STORE) --limit 5 -o demo-output/networks
	@echo; echo "== Pages (self-contained HTML: open them in a browser, offline)"
	@for view in partnership shared-icbs recurring-inspectors common-failings; do \
	  $(BIN)/ofsted-kg viz $$view --store $(STORE) -o demo-output/$$view.html --source-base ../examples/reports; \
	done
	@$(BIN)/ofsted-kg viz --focus Bolton --depth 2 --store $(STORE) -o demo-output/bolton.html \
	  --source-base ../examples/reports
	@$(BIN)/ofsted-kg report --store $(STORE) -o demo-output/summary.html

test: $(STAMP)
	bash scripts/test-setup.sh
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# SCALES: synthetic corpus sizes in units of 500 reports; `make bench SCALES=1` is a quick run.
SCALES ?= 1,10,100
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	bash scripts/test-setup.sh
	$(BIN)/python -m benchmarks.run --scales $(SCALES)

clean:
	rm -rf demo-output .pytest_cache
