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
DESKTOP := $(CARGO_TARGET_DIR)/debug/herald-desktop
# The workspace `make run` opens (the app offers demo data on first launch).
DESKTOP_DB ?= $(CURDIR)/.demo/desktop.sqlite3
# The CLI tour's workspace.
DEMO_DB ?= $(CURDIR)/.demo/workspace.sqlite3
BENCH_ROWS ?= 1000000

# The web UI (React + Vite in ui/). Its build is what the app embeds: Tauri's
# generate_context! reads ui/dist at compile time, so every cargo build, test
# and clippy of herald-desktop needs it first.
UI := ui
UI_DEPS := $(UI)/node_modules/.package-lock.json
UI_BUILT := $(UI)/node_modules/.herald-ui-built
UI_SOURCES := $(shell find $(UI)/src $(UI)/public $(UI)/index.html $(UI)/package.json \
                $(UI)/tsconfig*.json $(UI)/vite.config.* -type f 2>/dev/null)
TAURI := $(UI)/node_modules/.bin/tauri

.PHONY: run test deps build lint fmt test-rust test-ui test-e2e bench bench-send bench-sms clean-demo tour ui app \
        bundle bindings bindings-check

## Install what is missing, build the UI and the app, and open Herald.
run: deps build
	$(DESKTOP) --db "$(DESKTOP_DB)"

## The CLI's tour of a demo workspace.
tour: deps build
	@if [ ! -f "$(DEMO_DB)" ]; then $(HERALD) --db "$(DEMO_DB)" init --demo 500 --seed 42; fi
	@scripts/tour.sh "$(HERALD)" "$(DEMO_DB)"

## Install what is missing and run every check and test.
test: deps lint test-rust test-ui test-e2e

deps:
	@scripts/install-deps.sh

# npm ci when the lock file matches package.json, else npm install; again
# whenever either changes.
$(UI_DEPS): $(UI)/package.json $(wildcard $(UI)/package-lock.json)
	@test -f $(UI)/package.json || { echo "ui/package.json is missing: the UI is not in this checkout" >&2; exit 1; }
	cd $(UI) && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; }
	@touch $@

# The stamp is written after a successful build, so a placeholder ui/dist
# (or a half-finished one) never counts as built. It lives outside ui/dist,
# which Vite empties and the app embeds whole.
$(UI_BUILT): $(UI_DEPS) $(UI_SOURCES)
	cd $(UI) && npm run build
	@touch $@

ui: $(UI_BUILT)

build: $(UI_BUILT)
	cargo build --locked -p herald-cli -p herald-desktop

app: $(UI_BUILT)
	cargo build --locked -p herald-desktop -p herald-cli -p herald-relay

lint: $(UI_BUILT) bindings-check
	cargo fmt --all -- --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	cd $(UI) && npm run lint && npm run typecheck

# The end-to-end crate needs the built app and a display: test-e2e runs it.
# The rest runs beside the services its tests talk to (PostgreSQL, a Secret
# Service keychain), started and stopped by scripts/with-services.sh.
test-rust: $(UI_BUILT)
	cargo test --locked --workspace --exclude herald-e2e --no-run
	scripts/with-services.sh cargo test --locked --workspace --exclude herald-e2e

## UI unit and component tests, with the line-coverage threshold.
test-ui: $(UI_DEPS)
	cd $(UI) && npm test

## The built app driven over WebDriver under Xvfb (scripts/e2e.sh).
test-e2e: app
	scripts/e2e.sh

fmt:
	cargo fmt --all

## Regenerate ui/src/bindings/ from the Rust types that cross IPC.
bindings: $(UI_BUILT)
	cargo test --locked -p herald-desktop --lib bindings

## Fail when the committed bindings differ from what the Rust types generate.
bindings-check: bindings
	@if [ -n "$$(git status --porcelain -- $(UI)/src/bindings)" ]; then \
	  echo "ui/src/bindings is stale or uncommitted: run 'make bindings' and commit it" >&2; \
	  git status --porcelain -- $(UI)/src/bindings >&2; exit 1; \
	fi

## Release .deb and .rpm with the npm Tauri CLI (it runs the UI build itself).
## The release profile keeps line tables (for profiling); the shipped binary
## is stripped of them, which takes the .deb from ~30 MB to ~8 MB.
## Output: $(CARGO_TARGET_DIR)/release/bundle/{deb,rpm}/
bundle: deps $(UI_DEPS)
	$(TAURI) build --no-bundle
	strip --strip-debug $(CARGO_TARGET_DIR)/release/herald-desktop
	$(TAURI) bundle --bundles deb,rpm
	@ls -l $(CARGO_TARGET_DIR)/release/bundle/deb/*.deb $(CARGO_TARGET_DIR)/release/bundle/rpm/*.rpm

## The import benchmark (release build); results go in docs/benchmarks.md.
bench: deps
	cargo build --locked --release -p herald-cli
	$(HERALD_RELEASE) bench import --rows $(BENCH_ROWS)

## The email send benchmark (release build): a campaign to 100,000 contacts
## through a local SMTP sink; results go in docs/benchmarks.md.
bench-send: deps
	cargo build --locked --release -p herald-cli
	$(HERALD_RELEASE) bench send --recipients 100000

## The SMS pacing benchmark (release build): 10,000 texts at 100/s to a local
## Twilio stand-in with 20 ms of latency; results go in docs/benchmarks.md.
bench-sms: deps
	cargo build --locked --release -p herald-cli
	$(HERALD_RELEASE) bench sms --messages 10000 --rate 100

clean-demo:
	rm -rf .demo
