# Koho: two commands do all set-up on a fresh Debian/Ubuntu machine.
#   make serve   install, build and serve http://127.0.0.1:8000/ with live reload
#   make test    the same set-up plus test dependencies, Chromium, Java (Nu HTML Checker)
#                and nginx (deployment test), then every test
#                (including make a11y)
# Also: make build (writes site/), make check (checks pages without building),
#   KOHO_LANG=ja make serve (previews one language: faster saves), make bench (city scale),
#   make a11y (axe-core, pa11y-ci, Lighthouse and keyboard checks on every page;
#   writes accessibility-results.json, which the 試験結果 page shows).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
TEST_SITE := $(CURDIR)/.test-site
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check test a11y lint bench clean system-packages chromium java nginx

# KOHO_LANG=ja make serve: one language (mkdocs.yml reads KOHO_LANG into the i18n plugin's
# build_only_locale), and after a save only the changed pages are rebuilt (--dirty; MkDocs warns
# that lists may lag, so not strict). `make check` and `make build` still check everything.
serve: $(VENV)/.installed
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload $(if $(KOHO_LANG),--dirty --no-strict)

build: $(VENV)/.installed
	$(BIN)/koho build

check: $(VENV)/.installed
	$(BIN)/koho check

test: $(VENV)/.installed-test node_modules/.installed chromium nginx
	$(BIN)/ruff check hooks tests bench
	$(BIN)/lint-imports
	# Two pytest workers (pytest-xdist), one per core: while one waits for Chromium the other runs.
	# The tests of Akiruno's built site go to one of them (loadgroup), which builds it once,
	# in $(TEST_SITE); the accessibility audit then checks that same build.
	KOHO_TEST_SITE=$(TEST_SITE) KOHO_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -n 2 --dist loadgroup
	KOHO_TEST_SITE=$(TEST_SITE) $(MAKE) --no-print-directory a11y

a11y: $(VENV)/.installed-test node_modules/.installed chromium
	KOHO_CHROMIUM=$(CHROMIUM) $(BIN)/python tests/a11y_audit.py

# Koho at city scale against a plain Material + mkdocs-static-i18n build of the same Markdown
# (bench/city.py; results in bench/RESULTS.md). `make bench BENCH_NOTICES=250 BENCH_RUNS=1` is quick.
BENCH_NOTICES ?= 250 1000 4000
BENCH_LANGUAGES ?= 1 5
BENCH_RUNS ?= 3
bench: $(VENV)/.installed-test node_modules/.installed chromium nginx
	$(BIN)/python bench/city.py --notices $(BENCH_NOTICES) --languages $(BENCH_LANGUAGES) --runs $(BENCH_RUNS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check hooks tests bench
	$(BIN)/lint-imports

system-packages:
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv python3-pip; }

$(VENV)/.installed: pyproject.toml | system-packages
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# axe-core, pa11y-ci and Lighthouse for make a11y, vnu-jar for make test; they use Debian's Chromium,
# so Puppeteer must not download its own browser (downloads fail here).
node_modules/.installed: package.json package-lock.json | java
	@command -v npm >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y nodejs npm; }
	PUPPETEER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium (browser downloads do not work here) and CJK fonts.
chromium:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk; }

# Debian's Java for the Nu HTML Checker (npm vnu-jar), before npm ci: without a Java,
# vnu-jar's install script would download one.
java:
	@command -v java >/dev/null || { $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y default-jre-headless; }

# Debian's nginx with its brotli module, and openssl, for the deployment test
# (deploy/nginx.conf on 127.0.0.1). Debian also starts nginx as a service on port 80:
# `systemctl disable --now nginx` if that is not wanted.
nginx:
	@test -x /usr/sbin/nginx && command -v openssl >/dev/null && \
	  test -f /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so || { $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y nginx libnginx-mod-http-brotli-filter openssl; }

clean:
	rm -rf site .site.building .site.previous .test-site .pytest_cache node_modules
