# Two commands: `make run` starts the app, `make test` runs every test (browser tests included).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint format bench gallery chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

# Debian's Chromium for the browser tests: installed with apt when missing and we are root.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's 'chromium' package (sudo apt-get install chromium)"; exit 1; fi; }

test: $(VENV)/.dev chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint format:
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(VENV)/.dev
	$(BIN)/python -m bench.engine
	$(BIN)/python -m bench.export
	$(BIN)/python -m bench.insight
	$(BIN)/python -m bench.browser

# The README's GIFs, made by the command line from the presets.
GALLERY := classic_beale lr_too_small_good_too_large momentum_vs_nesterov_ravine saddle_escape plateau_adaptive
gallery: $(VENV)/.runtime
	mkdir -p assets/gallery
	for preset in $(GALLERY); do \
	  $(BIN)/python -m scenes render $$preset --format gif --out assets/gallery/$$preset.gif --size 360 --frames 90 --fps 15 || exit 1; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
