"""The deployment samples, tested: Debian's nginx serves Akiruno's built site with
deploy/nginx.conf as written (only the name, ports, certificate and folder changed for
127.0.0.1), and Chromium loads pages of every language, searches and opens a missing
page, with no Content-Security-Policy violation, no console error and no failed request.

The samples' policy (deploy/nginx.conf, deploy/_headers) must be the one the built
site needs: `koho csp --update deploy/nginx.conf deploy/_headers` after a change."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import LOCALES, PHONE, ROOT, free_port
from koho import deploy

NGINX = os.environ.get("KOHO_NGINX", "/usr/sbin/nginx")
NGINX_MODULES = Path("/usr/lib/nginx/modules")
SAMPLES = [ROOT / "deploy" / "nginx.conf", ROOT / "deploy" / "_headers"]
HASHED_ASSET = re.compile(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js")
# What the test changes in deploy/nginx.conf to run it on 127.0.0.1 (each must be there).
LOCAL = {
    "    listen 80;\n": "    listen 127.0.0.1:{http_port};\n",
    "    listen [::]:80;\n": "",
    "    listen 443 ssl http2;\n": "    listen 127.0.0.1:{https_port} ssl http2;\n",
    "    listen [::]:443 ssl http2;\n": "",
    "/etc/letsencrypt/live/www.city.example/fullchain.pem": "{folder}/cert.pem",
    "/etc/letsencrypt/live/www.city.example/privkey.pem": "{folder}/key.pem",
    "    root /srv/koho/site;": "    root {site};",
}
MAIN_CONFIG = """\
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
load_module {modules}/ngx_http_brotli_filter_module.so;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/koho.conf;
}}
"""


def missing(message: str) -> None:
    """As the browser fixture: a failure in CI, a skip (saying what to install) elsewhere."""
    message += ": run 'make test' or apt-get install nginx libnginx-mod-http-brotli-filter openssl"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass(frozen=True)
class Nginx:
    https: str  # https://127.0.0.1:port/
    http: str
    https_port: int
    http_port: int
    folder: Path


def local_config(sample: str, values: dict[str, object]) -> str:
    for original, local in LOCAL.items():
        assert original in sample, f"deploy/nginx.conf no longer has {original.strip()!r}: update LOCAL"
        sample = sample.replace(original, local.format(**values))
    return sample


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx stopped (exit {process.returncode}):\n{read(log)}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"nginx did not listen on {port}:\n{read(log)}")


def read(log: Path) -> str:
    return log.read_text("utf-8", errors="replace") if log.exists() else ""


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    """Debian's nginx with deploy/nginx.conf, serving the built Akiruno site over HTTPS
    (a certificate made for 127.0.0.1) and redirecting HTTP."""
    if not Path(NGINX).exists():
        missing(f"nginx not found at {NGINX}")
    if not (NGINX_MODULES / "ngx_http_brotli_filter_module.so").exists():
        missing("nginx's brotli module not found")
    if not shutil.which("openssl"):
        missing("openssl not found")
    folder = tmp_path_factory.mktemp("nginx")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True)
    values = {"http_port": free_port(), "https_port": free_port(), "folder": folder, "site": site.path}
    (folder / "koho.conf").write_text(local_config(SAMPLES[0].read_text("utf-8"), values), "utf-8")
    # As root, nginx's workers would run as nobody, who cannot read pytest's folders.
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(MAIN_CONFIG.format(user=user, folder=folder, modules=NGINX_MODULES),
                                       "utf-8")
    log = folder / "error.log"
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(log)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(values["https_port"], process, log)
        wait_for_port(values["http_port"], process, log)
        yield Nginx(f"https://127.0.0.1:{values['https_port']}/", f"http://127.0.0.1:{values['http_port']}/",
                    values["https_port"], values["http_port"], folder)
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(server: Nginx, path: str, headers: dict[str, str] | None = None, tls: bool = True
          ) -> tuple[int, dict[str, str], bytes]:
    if tls:
        context = ssl.create_default_context(cafile=server.folder / "cert.pem")
        connection = http.client.HTTPSConnection("127.0.0.1", server.https_port, context=context, timeout=10)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=10)
    try:
        connection.request("GET", "/" + path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_the_samples_send_the_policy_the_built_site_needs(site):
    policy = deploy.content_security_policy(site.path)
    assert "'unsafe-inline'" not in policy and "'sha256-" in policy
    for sample in SAMPLES:
        assert deploy.policy_in(sample.read_text("utf-8")) == policy, (
            f"{sample.relative_to(ROOT)} has another Content-Security-Policy than the built site needs: "
            f"run 'koho build' then 'koho csp --update deploy/nginx.conf deploy/_headers'")


def test_koho_csp_updates_a_stale_sample(koho, site, tmp_path):
    stale = tmp_path / "nginx.conf"
    stale.write_text(deploy.with_policy(SAMPLES[0].read_text("utf-8"), "default-src 'self'"), "utf-8")
    result = koho(ROOT, "csp", "--site-dir", str(site.path), "--update", str(stale))
    assert result.returncode == 0 and f"{stale}: updated" in result.stderr
    policy = deploy.content_security_policy(site.path)
    assert result.stdout.strip() == policy == deploy.policy_in(stale.read_text("utf-8"))
    assert stale.read_text("utf-8") == SAMPLES[0].read_text("utf-8")  # nothing else changed


def test_a_page_with_an_event_handler_is_refused(tmp_path):
    (tmp_path / "index.html").write_text('<p><img src="x.png" alt="" onerror="steal()"></p>', "utf-8")
    with pytest.raises(deploy.DeployError, match=r"index\.html: an onerror= attribute"):
        deploy.content_security_policy(tmp_path)


def test_nginx_sends_the_security_headers_cache_lifetimes_and_compression(nginx, site):
    status, headers, _ = fetch(nginx, "en/")
    assert status == 200
    assert headers["content-security-policy"] == deploy.content_security_policy(site.path)
    assert headers["strict-transport-security"].startswith("max-age=63072000")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert headers["cache-control"].startswith("public, max-age=300")

    bundle = HASHED_ASSET.search((site.path / "index.html").read_text("utf-8"))[0]
    _, asset, _ = fetch(nginx, bundle)
    assert asset["cache-control"] == "public, max-age=31536000, immutable"
    _, unhashed, _ = fetch(nginx, "assets/javascripts/koho.js")
    assert "immutable" not in unhashed["cache-control"]

    _, zipped, body = fetch(nginx, "en/", {"Accept-Encoding": "gzip"})
    assert zipped["content-encoding"] == "gzip" and b"<html" in gzip.decompress(body)
    _, brotli, _ = fetch(nginx, "en/", {"Accept-Encoding": "br"})
    assert brotli["content-encoding"] == "br"
    _, feed, _ = fetch(nginx, "en/feed.rss.xml")
    assert feed["content-type"].startswith("application/rss+xml")

    status, missing_page, body = fetch(nginx, "en/no-such-page/")
    assert status == 404 and "content-security-policy" in missing_page
    assert b'lang="en"' in body  # the English 404 page

    status, redirect, _ = fetch(nginx, "en/", tls=False)
    assert status == 301 and redirect["location"].startswith("https://")


# Recorded in every page before its own scripts run.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", event => window.__violations.push(
  `${event.violatedDirective} ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`));
"""


class Watcher:
    """Console errors and warnings, page errors, failed requests and CSP violations
    of every page of one browser context."""

    def __init__(self, context) -> None:
        self.problems: list[str] = []
        context.add_init_script(LISTEN)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.problems.append(f"page error: {error.error}"))
        context.on("requestfailed", self._failed)
        context.on("response", lambda response: self.problems.append(
            f"{response.status}: {response.url}") if response.status >= 400 else None)

    def _failed(self, request) -> None:
        # ERR_ABORTED: the browser dropped the request because the test went on to the
        # next page (Material's search worker loads in the background of every page).
        # A request the policy blocks is reported as a violation and a console error.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed request: {request.url} ({request.failure})")

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text} ({message.location.get('url')})")

    def violations(self, page) -> list[str]:
        return [f"CSP violation on {page.url}: {v}" for v in page.evaluate("window.__violations")]


def search(page, query: str) -> None:
    """Open Material's search and type a query: its worker and the language's index load."""
    page.click("label.md-header__button[for=__search]")
    page.locator("input.md-search__input").fill(query)
    page.keyboard.press("End")  # Material searches on keyup
    page.locator("li.md-search-result__item").first.wait_for(state="attached", timeout=15_000)


def first_page(site, locale: str, section: str) -> str:
    """The first page of a section (notices/2026/…) in the language's sitemap."""
    prefix = site.prefix(locale)
    sitemap = (site.path / prefix / "sitemap.xml").read_text("utf-8")
    pattern = rf"<loc>{re.escape(site.url)}({re.escape(prefix)}{section}/[^<]+)</loc>"
    return sorted(re.findall(pattern, sitemap))[0]


@pytest.mark.browser
def test_pages_of_every_language_satisfy_the_policy_behind_nginx(nginx, site, browser):
    """Each language's home, first notice and a missing page (its own 404 page), and in
    Japanese the procedures index (its filter script) and a search, each until the network
    is idle; then an inline script of our own shows that a violation would be caught.
    (One tab after the other: every page builds its search index, which takes the CPU.)"""
    context = browser.new_context(ignore_https_errors=True, **PHONE)
    watcher = Watcher(context)
    page = context.new_page()
    checked: list[str] = []
    missing: list[str] = []
    try:
        for locale in LOCALES:
            prefix = site.prefix(locale)
            missing.append(nginx.https + prefix + "no-such-page/")
            paths = [prefix, first_page(site, locale, "notices/2026"), prefix + "no-such-page/"]
            if locale == "ja":
                paths.insert(1, "procedures/")
            for path in paths:
                response = page.goto(nginx.https + path, wait_until="load")
                assert response.status == (404 if path.endswith("no-such-page/") else 200), path
                if path == "":  # every page loads its language's index; one search shows it works
                    search(page, "カード")
                page.wait_for_load_state("networkidle")  # leaving earlier would abort requests
                watcher.problems += watcher.violations(page)
                checked.append(path)
            assert page.locator(".md-skip").count() == 1  # the language's own 404 page
        problems = [p for p in watcher.problems if not any(url in p for url in missing)]
        # The listener works: an inline script the policy does not allow is reported.
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
                      " document.body.append(s) }")
        page.wait_for_function("window.__violations.length > 0")
        caught = watcher.violations(page)
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
    assert len(checked) == 3 * len(LOCALES) + 1
    assert len(caught) == 1 and "script-src" in caught[0], caught
