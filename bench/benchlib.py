"""What every benchmark shares: machine details, peak memory, timing, RESULTS.md sections.

Each benchmark owns one section of ``bench/RESULTS.md`` between ``<!-- bench:NAME -->`` and
``<!-- /bench:NAME -->`` and rewrites only that section, so the file holds the latest run of
each benchmark with the machine it ran on.
"""

from __future__ import annotations

import os
import platform
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def versions(*mods: str) -> str:
    out = [f"python {platform.python_version()}"]
    for name in mods:
        try:
            mod = __import__(name)
            out.append(f"{name} {getattr(mod, '__version__', '?')}")
        except ImportError:
            pass
    return ", ".join(out)


def machine(*mods: str) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return (f"{cpu_model()}, {os.cpu_count()} cores, {ram_gib():.1f} GiB RAM, "
            f"{platform.system()} {platform.release()}; {versions(*mods)}; "
            f"load average at start {load:.1f}; {when}")


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_children_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    vals = sorted(values)
    idx = min(len(vals) - 1, max(0, int(round(p / 100 * (len(vals) - 1)))))
    return vals[idx]


def write_section(name: str, body: str) -> None:
    """Replace (or append) the ``name`` section of RESULTS.md with ``body``."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")
