# Herald: `make run` and `make test` work on a fresh Debian/Ubuntu machine.
#
# Build output goes to a cache folder outside the clone unless CARGO_TARGET_DIR
# is set, so fresh clones (CI) reuse earlier builds instead of starting cold.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
export CARGO_TARGET_DIR ?= $(HOME)/.cache/herald/target
export CARGO_TERM_COLOR ?= never

HERALD := $(CARGO_TARGET_DIR)/debug/herald
HERALD_RELEASE := $(CARGO_TARGET_DIR)/release/herald
DEMO_DB ?= $(CURDIR)/.demo/workspace.sqlite3
BENCH_ROWS ?= 1000000

.PHONY: run test deps build lint fmt test-rust bench clean-demo

## Install what is missing, build, and open a demo workspace.
run: deps build
	@if [ ! -f "$(DEMO_DB)" ]; then $(HERALD) --db "$(DEMO_DB)" init --demo 500 --seed 42; fi
	@scripts/tour.sh "$(HERALD)" "$(DEMO_DB)"

## Install what is missing and run every check and test.
test: deps lint test-rust

deps:
	@scripts/install-deps.sh

build:
	cargo build --locked -p herald-cli

lint:
	cargo fmt --all -- --check
	cargo clippy --locked --workspace --all-targets -- -D warnings

test-rust:
	cargo test --locked --workspace

fmt:
	cargo fmt --all

## The import benchmark (release build); results go in docs/benchmarks.md.
bench: deps
	cargo build --locked --release -p herald-cli
	$(HERALD_RELEASE) bench import --rows $(BENCH_ROWS)

clean-demo:
	rm -rf .demo
