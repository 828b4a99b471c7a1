# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
JS_STAMP := tests/js/node_modules/.installed-stamp
BUNDLER  := latentlab/explorer/js/node_modules/.installed-stamp
JS_SRC   := $(wildcard latentlab/explorer/js/*.js)
BUNDLES  := $(addprefix latentlab/explorer/assets/,explorer.bundle.js sketchrnn.worker.js widget.bundle.js)
SHARED ?= ../shared
OUT    ?= out/demo
JOBS   ?= 2  # pytest-xdist workers: one a core

.PHONY: demo test test-fast install js notebooks clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	# magenta 2.1.4 pins tensorflow 2.9 / numba 0.49, unavailable on 3.11: install it alone.
	$(PY) -m pip install -q --no-deps magenta==2.1.4
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/latentlab demo --shared $(SHARED) --out $(OUT)

# eslint and the magenta-js client the tests check exported models with (npm, once)
$(JS_STAMP): tests/js/package.json
	cd tests/js && npm install --no-audit --no-fund --silent
	touch $(JS_STAMP)

# the explorer's ES modules (latentlab/explorer/js) bundled by esbuild into the scripts the pages carry; the bundles
# are committed and ship in the wheel, so installing latentlab never needs node
js: $(BUNDLES)

$(BUNDLER): latentlab/explorer/js/package.json
	cd latentlab/explorer/js && npm install --no-audit --no-fund --silent
	touch $(BUNDLER)

$(BUNDLES) &: $(BUNDLER) $(JS_SRC) latentlab/explorer/js/build.mjs
	node latentlab/explorer/js/build.mjs

test: $(STAMP) $(JS_STAMP) $(BUNDLER)
	$(VENV)/bin/ruff check latentlab tests bench
	tests/js/node_modules/.bin/eslint -c tests/js/eslint.config.mjs latentlab/explorer/js tests/js
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet --site-dir $(VENV)/site
	$(PY) -m pytest -q -n $(JOBS) --dist loadfile tests

# the unit tests alone: no model run, no browser, no child process, no training, nothing marked slow
test-fast: $(STAMP)
	$(PY) -m pytest -q -n $(JOBS) --dist loadfile -m "not slow and not browser and not subprocess and not training and not model" tests

# the notebooks executed in place with their outputs (what is committed); no widget state: the explorer widget's
# page is made again by its cell in a live kernel
notebooks: $(STAMP)
	$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.store_widget_state=False \
		--ExecutePreprocessor.timeout=900 notebooks/*.ipynb

clean:
	rm -rf $(VENV) out .pytest_cache
