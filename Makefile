# Showmatch: `make run` starts the daemon, `make test` runs every test suite.
SWIFT ?= swift
APT_PACKAGES := libsqlite3-dev libssl-dev libcurl4-openssl-dev sqlite3 curl openssl
SCHEMATHESIS := schemathesis==4.32.5
BIN := .build/debug/showmatch

.PHONY: run test deps postgres-deps build release api-test ui-test ui-deps fuzz fuzz-smoke clean

## Installs the Debian packages the build and tests need, when they are missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

POSTGRES_APT_PACKAGES := postgresql

## Installs Debian's PostgreSQL server when missing: the tests run the store on a throwaway cluster.
postgres-deps:
	@missing=""; for p in $(POSTGRES_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build --product showmatch

## Builds and starts the daemon on ./data/showmatch.sqlite.
run: build
	@mkdir -p data
	$(BIN) serve

# At most this many tests run at once. Many tests start real daemons and HTTP fakes with real
# timeouts; run all at once on two cores, some waited out their timeouts only from starvation.
TEST_WIDTH ?= 4

# A hung test stops the run after this many seconds instead of holding CI to its limit; the
# whole Swift suite takes about 2.5 minutes on two cores.
TEST_TIMEOUT ?= 1200

## Runs every test suite; the store conformance suite also on a throwaway PostgreSQL cluster.
test: deps postgres-deps
	$(SWIFT) build --build-tests
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(TEST_WIDTH) timeout $(TEST_TIMEOUT) scripts/with-postgres.sh $(SWIFT) test --skip-build --disable-xctest
	$(MAKE) fuzz-smoke
	$(MAKE) api-test
	$(MAKE) ui-test

## Fuzzes the API against docs/openapi.yaml with Schemathesis (needs a debug build).
api-test: deps
	@python3 -c "import schemathesis" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check $(SCHEMATHESIS)
	e2e/api/schemathesis.sh

UI_APT_PACKAGES := chromium chromium-driver
UI_PIP_PACKAGES := selenium pytest
# axe-core 4.12 comes inside this wheel (axe.min.js); it is installed without its Playwright
# dependency, which the tests do not use (Selenium injects the script).
AXE_PIP_PACKAGE := axe-playwright-python==0.1.8
PYTHON ?= python3

## Installs headless Chromium with its driver, and selenium, pytest and axe-core 4.12, when missing.
ui-deps:
	@missing=""; for p in $(UI_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@$(PYTHON) -c "import selenium, pytest" 2>/dev/null || \
	  $(PYTHON) -m pip install -q $(UI_PIP_PACKAGES) || \
	  $(PYTHON) -m pip install -q --break-system-packages $(UI_PIP_PACKAGES)
	@$(PYTHON) -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('axe_playwright_python') is None)" || \
	  $(PYTHON) -m pip install -q --no-deps $(AXE_PIP_PACKAGE) || \
	  $(PYTHON) -m pip install -q --no-deps --break-system-packages $(AXE_PIP_PACKAGE)

## Browser tests: the real daemon driven by headless Chromium; saves docs/screenshots/.
## (Built like `test` builds, so running both compiles nothing twice.)
ui-test: deps ui-deps
	$(SWIFT) build --build-tests
	PYTHONDONTWRITEBYTECODE=1 $(PYTHON) -m pytest -q -p no:cacheprovider e2e/ui

FUZZ_TARGETS := plex-guid multipart payload chain catalog-line
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3
# Coverage is asked for explicitly, and whole-module optimisation is off: with it (several
# objects per module) this toolchain leaves Swift code uninstrumented, and libFuzzer fuzzes blind.
FUZZ_BUILD = $(SWIFT) build --package-path fuzz --sanitize=fuzzer --sanitize=address \
	-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -no-whole-module-optimization

## libFuzzer with the address sanitizer on the parsers (release build, fuzz/): FUZZ_SECONDS per
## target, seeded from fixtures/; figures in docs/benchmarks.md. A crash stops it (non-zero).
fuzz: deps
	$(FUZZ_BUILD) -c release
	python3 fuzz/seeds.py fuzz/.build/work/seeds
	@for t in $(FUZZ_TARGETS); do fuzz/run.sh fuzz/.build/release $$t $(FUZZ_SECONDS) || exit 1; done

## A few seconds of each fuzz target (debug build, which compiles faster), for make test.
fuzz-smoke: deps
	$(FUZZ_BUILD) -c debug
	python3 fuzz/seeds.py fuzz/.build/work/seeds
	@for t in $(FUZZ_TARGETS); do fuzz/run.sh fuzz/.build/debug $$t $(FUZZ_SMOKE_SECONDS) || exit 1; done

## A release build, for benchmarks.
release: deps
	$(SWIFT) build -c release --product showmatch

clean:
	rm -rf .build
