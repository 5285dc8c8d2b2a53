# dashkit — see README.md. `make help` lists the targets.

SHELL       := /bin/bash
GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
ECHARTS     := web/node_modules/echarts/dist/echarts.min.js

.PHONY: help run test bench assets check-echarts lint ci ci-test

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

run: ## run the Portfolio Risk example at http://localhost:8050 (no services, no internet)
	$(GO) run ./examples/risk

# go test -race ./..., reported by testsummary: failures in full, one line
# per skipped test saying why, and a closing count.
test: assets bin/testsummary ## run every test with the race detector; integration tests skip (and say why) unless DASHKIT_* are set
	set -o pipefail; $(GO) test -race -timeout 20m -json ./... | bin/testsummary

bin/testsummary: internal/tools/cmd/testsummary/main.go
	$(GO) build -o $@ ./internal/tools/cmd/testsummary

bench: ## run the benchmarks
	$(GO) test -run '^$$' -bench . -benchmem ./...

assets: $(ECHARTS) ## install the pinned ECharts into web/node_modules (npm ci)

$(ECHARTS): web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund
	@touch $@

# The ECharts build that assets/echarts embeds must be the npm package pinned
# (with its integrity hash, which npm ci verifies) in web/package-lock.json:
# the same version, the same bytes, the same licence.
check-echarts: assets ## check that assets/echarts is byte-identical to the ECharts pinned in web/package-lock.json
	@want="$$(node -p "require('./web/package-lock.json').packages['node_modules/echarts'].version")"; \
	got="$$(cat assets/echarts/VERSION)"; \
	if [ "$$want" != "$$got" ]; then echo "assets/echarts/VERSION is $$got, web/package-lock.json pins $$want"; exit 1; fi; \
	grep -q "const Version = \"$$want\"" assets/echarts/echarts.go || { echo "assets/echarts/echarts.go: Version is not $$want"; exit 1; }
	cmp $(ECHARTS) assets/echarts/echarts.min.js
	cmp web/node_modules/echarts/LICENSE assets/echarts/LICENSE
	cmp web/node_modules/echarts/NOTICE assets/echarts/NOTICE
	cmp web/node_modules/echarts/licenses/LICENSE-d3 assets/echarts/LICENSE-d3
	@echo "assets/echarts holds echarts@$$(cat assets/echarts/VERSION) as pinned"

lint: ## go vet, gofmt and staticcheck
	$(GO) vet ./...
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

ci: lint check-echarts ci-test ## what .ci/run runs: lint, then every test (integration included) with a summary

# In CI the integration variables are set, so a test that skips because one
# is missing fails the run; -count=1 keeps results from the test cache, which
# cannot know whether Redis or PostgreSQL is up.
#
# The packages that drive Chromium for minutes or start replicas behind
# HAProxy run one at a time, after the others: on a 2-core machine two of
# them at once starve each other's browser into timeouts.
HEAVY := ./dashboard ./examples/journeys ./examples/manufacturing ./examples/risk

ci-test: assets bin/testsummary
	set -o pipefail; { rc=0; \
	  $(GO) test -race -timeout 20m -count=1 -json $$($(GO) list ./... | grep -vxF "$$($(GO) list $(HEAVY))") || rc=1; \
	  $(GO) test -race -timeout 20m -count=1 -p 1 -json $(HEAVY) || rc=1; \
	  exit $$rc; } | bin/testsummary -forbid-skip 'is not set'

.PHONY: run-manufacturing run-crossfilter run-embed run-sales
run-manufacturing: ## the Global Operations example at http://localhost:8053 (SQLite, or PostgreSQL with DATABASE_URL)
	$(GO) run ./examples/manufacturing

run-crossfilter: ## three linked charts at http://localhost:8051
	$(GO) run ./examples/crossfilter

run-embed: ## a service mounting two dashboards under /dashboards/ at http://localhost:8052 (user ops, password ops-demo)
	$(GO) run ./examples/embed

run-sales: ## the getting-started guide's sales dashboard at http://localhost:8054/sales/ (manager / manager-pass)
	$(GO) run ./examples/sales

.PHONY: screenshots
# The screenshots in README.md and docs/screenshots are the browser tests'
# own: the journeys (every example at 1440 and 390 px, light and dark, after
# the layout and axe-core checks passed) and the component gallery.
screenshots: assets ## retake docs/screenshots from the browser tests (needs DASHKIT_BROWSER)
	$(GO) test -count=1 -run 'TestJourneys$$' ./examples/journeys
	$(GO) test -count=1 -run 'TestBrowserGallery$$' ./dashboard
	@set -e; j=examples/journeys/testdata/screenshots; g=dashboard/testdata/screenshots; d=docs/screenshots; \
	for ex in risk-admin:risk manufacturing-admin:manufacturing crossfilter:crossfilter embed:embed; do \
		from=$${ex%%:*}; to=$${ex##*:}; \
		cp $$j/$$from-1440.png $$d/$$to.png; cp $$j/$$from-390.png $$d/$$to-phone.png; \
		cp $$j/$$from-1440-dark.png $$d/$$to-dark.png; cp $$j/$$from-390-dark.png $$d/$$to-phone-dark.png; \
	done; \
	for th in light dark; do cp $$g/gallery-$$th-1440.png $$d/gallery-$$th.png; cp $$g/gallery-$$th-390.png $$d/gallery-$$th-phone.png; done
