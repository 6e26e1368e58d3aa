"""Ingest jobs: uploads read in memory, stored by one background writer, progress polled.

Uploaded files never touch the file system: each is read from its bytes (text, HTML, or a
JSONL of records) into ``Article``s, whose ids are the upload's base name. One job runs at
a time (the store has one writer); readers keep reading meanwhile.
"""

from __future__ import annotations

import io
import logging
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ..records import Article, IngestError

log = logging.getLogger(__name__)


def articles_from_upload(name: str, data: bytes, max_bytes: int
                         ) -> list[Article | IngestError]:
    """The articles in one uploaded file (or one error naming it)."""
    from ..corpus import CorpusError, article_from_bytes, read_jsonl

    base = PurePosixPath((name or "upload").replace("\\", "/")).name or "upload"
    suffix = PurePosixPath(base).suffix.lower()
    if len(data) > max_bytes:
        return [IngestError(base, f"file is larger than the {max_bytes // 2**20} MB limit")]
    items: list[Article | IngestError]
    if suffix in (".jsonl", ".ndjson"):
        items = list(read_jsonl(io.BytesIO(data), base, max_bytes))
    else:
        try:
            items = [article_from_bytes(data, base, None, base, suffix)]
        except CorpusError as exc:
            items = [IngestError(base, str(exc))]
        except Exception as exc:  # one bad upload never stops the batch
            items = [IngestError(base, f"cannot read: {type(exc).__name__}: {exc}")]
    for it in items:
        if isinstance(it, Article):
            it.path = None  # an upload has no file behind it: no origin check on disk
    return items


@dataclass
class Job:
    id: str
    total: int
    status: str = "queued"  # queued | running | done | failed
    done: int = 0
    current: str = ""
    errors: list[str] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    message: str = ""
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "total": self.total, "done": self.done,
                "current": self.current, "errors": list(self.errors), "summary": self.summary,
                "message": self.message,
                "seconds": round((self.finished or time.time()) - self.started, 2)}


class Jobs:
    """At most one running ingest; finished jobs are kept (the last 50) for their pages."""

    def __init__(self, desk: Any) -> None:
        self.desk = desk
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def running(self) -> Job | None:
        return next((j for j in self.jobs.values() if j.status in ("queued", "running")), None)

    def start(self, items: list[Article | IngestError]) -> Job:
        with self._lock:
            if self.running() is not None:
                raise JobBusy("an ingest is already running; wait for it to finish")
            job = Job(uuid.uuid4().hex[:12], total=len(items))
            self.jobs[job.id] = job
            for old in list(self.jobs)[:-50]:
                self.jobs.pop(old, None)
        threading.Thread(target=self._run, args=(job, items), daemon=True,
                         name=f"ingest-{job.id}").start()
        return job

    def _run(self, job: Job, items: list[Article | IngestError]) -> None:
        from dataclasses import asdict

        job.status = "running"

        def on_article(item: Article | IngestError) -> None:
            job.done += 1
            if isinstance(item, IngestError):
                job.errors.append(str(item))
            else:
                job.current = item.id

        try:
            # Small batches: progress moves and readers see new articles sooner.
            summary = self.desk.ingest(items, on_article=on_article, wait=5.0, batch_size=8)
            data = asdict(summary)
            data["errors"] = [str(e) for e in summary.errors]
            job.summary = data
            job.status = "done"
            job.message = (f"{summary.read} article(s): {summary.added} new, "
                           f"{summary.replaced} replaced, {summary.unchanged} unchanged; "
                           f"{summary.quotes} quotes, {summary.claims} claims stored")
        except Exception as exc:
            log.error("ingest job %s failed:\n%s", job.id, traceback.format_exc())
            job.status = "failed"
            job.message = " ".join(f"{type(exc).__name__}: {exc}".split())
        finally:
            job.finished = time.time()


class JobBusy(RuntimeError):
    pass
