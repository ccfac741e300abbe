"""Shared fixtures: the bundled corpus (the seed articles) scored once per test session, and the
public data sets that are read from a path (``FRAMING_DATA``), never copied into the repository."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import framing
from framing.parse import load_model

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "afghanistan-2021"  # the seed case
CLIMATE = ROOT / "corpus" / "climate-2019"
FIXTURES = ROOT / "tests" / "data"
BESIDE = ROOT.parent / "shared" / "data"  # where the project's workspace keeps them


def data_root() -> Path | None:
    """``$FRAMING_DATA``, else ``../shared/data`` beside the clone when it exists, else None."""
    env = os.environ.get("FRAMING_DATA")
    if env:
        return Path(env)
    return BESIDE if BESIDE.is_dir() else None


def shared_data(name: str) -> Path:
    """The folder of one public data set (``polnear``, ``newsmtsc``, ...), or skip the test saying how
    to point the tests at it. Only a missing optional resource skips; a wrong path fails loudly."""
    root = data_root()
    if root is None:
        pytest.skip(f"needs the public data set {name!r}: set FRAMING_DATA=/path/to/data (the folder "
                    f"that holds {name}/; see docs/data.md)")
    path = root / name
    assert path.is_dir(), f"FRAMING_DATA={root} has no {name}/ folder (see docs/data.md)"
    return path


@pytest.fixture(scope="session")
def nlp():
    return load_model()


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("parse-cache")


@pytest.fixture(scope="session", autouse=True)
def default_cache(tmp_path_factory):
    """Code that uses the default cache (training, evaluation, a score() without cache_dir) writes into
    a folder of the test session, never into the user's ~/.cache/framing."""
    saved = os.environ.get("FRAMING_CACHE")
    os.environ["FRAMING_CACHE"] = str(tmp_path_factory.mktemp("default-cache"))
    yield
    if saved is None:
        os.environ.pop("FRAMING_CACHE", None)
    else:
        os.environ["FRAMING_CACHE"] = saved


@pytest.fixture(scope="session")
def corpus():
    return framing.load_corpus(CORPUS)


@pytest.fixture(scope="session")
def scored(corpus, cache_dir):
    return framing.score(corpus, cache_dir=cache_dir, progress=False)


@pytest.fixture(scope="session")
def mentions(scored):
    """Actor evidence rows, with the text each row points at."""
    ev = scored.evidence[scored.evidence.family == "actor"].copy()
    return ev


def span_text(corpus, row) -> str:
    return corpus[row.article_id].text[row.start:row.end]


# every 36th climate article: 12 outlets, the four bias groups
CLIMATE_SAMPLE = ["nfc-0000", "nfc-0076", "nfc-0135", "nfc-0194", "nfc-0270", "nfc-0338", "nfc-0414",
                  "nfc-0479", "nfc-0576", "nfc-0661", "nfc-0726", "nfc-0814"]


@pytest.fixture(scope="session")
def climate_sample(cache_dir, tmp_path_factory):
    """A sample of the climate case scored with its codebook: the result and the folder written."""
    corpus = framing.load_corpus(CLIMATE)
    result = framing.score([corpus[i] for i in CLIMATE_SAMPLE], codebook="climate-2019",
                           cache_dir=cache_dir, progress=False)
    out = tmp_path_factory.mktemp("climate-scores")
    result.write(out)
    return result, out


def interrupt_after(monkeypatch, n_parts: int):
    """Make a run stop (KeyboardInterrupt) once ``n_parts`` parts are written, as Ctrl-C would; return
    a function that lets the next run write normally again."""
    from framing.engine import parts

    real_write = parts.PartialRun.write

    def killed(self, index, part):
        if len(self.done) >= n_parts:
            raise KeyboardInterrupt
        real_write(self, index, part)

    monkeypatch.setattr(parts.PartialRun, "write", killed)
    return lambda: monkeypatch.setattr(parts.PartialRun, "write", real_write)


# -- the report's browser tests: Debian's chromium driven by Selenium -----------------------------------

def _chromium() -> tuple[str, str]:
    browser = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)
    driver = shutil.which("chromedriver") or next(
        (p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver") if Path(p).is_file()), None)
    if not browser or not driver:
        pytest.skip("the browser tests need Debian's chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver; .ci/run installs them when it can)")
    return browser, driver


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="the browser tests need selenium "
                                                                   "(pip install 'framing[test]')")
    binary, driver_path = _chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    from selenium.webdriver.chrome.service import Service

    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def _open(browser, path: Path):
    browser.get(path.resolve().as_uri())
    browser.get_log("browser")  # drop what came before this page
    browser.refresh()


def _errors(browser) -> list:
    return [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
