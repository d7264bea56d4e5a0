# Showmatch: `make run` starts the daemon, `make test` runs every test suite.
SWIFT ?= swift
APT_PACKAGES := libsqlite3-dev libssl-dev libcurl4-openssl-dev sqlite3 curl openssl
SCHEMATHESIS := schemathesis==4.32.5
BIN := .build/debug/showmatch

.PHONY: run test deps build release api-test clean

## Installs the Debian packages the build and tests need, when they are missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
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

## Runs every test suite.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest
	$(MAKE) api-test

## Fuzzes the API against docs/openapi.yaml with Schemathesis (needs a debug build).
api-test: deps
	@python3 -c "import schemathesis" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check $(SCHEMATHESIS)
	tests/api/schemathesis.sh

## A release build, for benchmarks.
release: deps
	$(SWIFT) build -c release --product showmatch

clean:
	rm -rf .build
