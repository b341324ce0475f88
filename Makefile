# Two commands: `make run` starts the app, `make test` runs every test (browser tests included).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test soak lint format bench gallery load heavy-load classroom system clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python -m app.serve --server.port $(PORT)

# Debian's Chromium (browser tests), nginx (the classroom test) and Noto CJK (Chinese in the
# browser and in exported pictures), installed with apt when missing and we are root.
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
system:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	test -f $(CJK_FONT) || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (sudo apt-get install$$missing)"; exit 1; fi; \
	fi

test: $(VENV)/.dev system
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

# Many more random user journeys than `make test` runs (tests/test_lab.py, tests/test_journeys.py),
# then the heavy-users load test with its assertions (p95 ≤ 1 s, idle 5 s after closing, RSS).
soak: $(VENV)/.dev system
	LLL_JOURNEYS=60 LLL_LAB_JOURNEYS=3000 $(BIN)/python -m pytest -q tests/test_lab.py tests/test_journeys.py
	$(BIN)/python -m bench.heavy_load --check

lint format:
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(VENV)/.dev
	$(BIN)/python -m bench.engine
	$(BIN)/python -m bench.export
	$(BIN)/python -m bench.insight
	$(BIN)/python -m bench.browser
	$(BIN)/python -m bench.network
	$(BIN)/python -m bench.diagram
	$(BIN)/python -m bench.widget

# A class on one machine: app processes behind nginx with sticky sessions (see README).
classroom: $(VENV)/.runtime system
	$(BIN)/python -m deploy.classroom --port $(PORT)

# ≥ 30 concurrent sessions changing settings for a minute (figures in the README).
load: $(VENV)/.dev system
	$(BIN)/python -m bench.load

# 5 sessions asking for the heaviest insight beside 20 ordinary ones (figures in the README).
heavy-load: $(VENV)/.dev
	$(BIN)/python -m bench.heavy_load

# The README's GIFs, made by the command line from the presets.
GALLERY := classic_beale lr_too_small_good_too_large momentum_vs_nesterov_ravine saddle_escape plateau_adaptive
gallery: $(VENV)/.runtime
	mkdir -p assets/gallery
	for preset in $(GALLERY); do \
	  $(BIN)/python -m scenes render $$preset --format gif --out assets/gallery/$$preset.gif --size 420 --frames 90 --fps 15 --curve || exit 1; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
