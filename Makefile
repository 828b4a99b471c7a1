# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SHARED ?= ../shared
OUT    ?= out/demo

.PHONY: demo test install clean

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

test: $(STAMP)
	$(VENV)/bin/ruff check latentlab tests bench
	$(PY) -m pytest -q tests

clean:
	rm -rf $(VENV) out .pytest_cache
