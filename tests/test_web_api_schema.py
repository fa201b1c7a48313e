"""The JSON API against its own OpenAPI schema, with schemathesis.

Every operation gets a few generated requests (bounded: this runs in the default suite);
each response must be documented, match its schema, and never be a server error. Batch
URL jobs are left out: they would try to fetch the generated URLs.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from _web_helpers import article, build_store, spun_pair
from unspin.web import create_app

EXAMPLES_PER_OPERATION = 8


def _app(tmp: Path):  # type: ignore[no-untyped-def]
    source, copy, rel = spun_pair()
    db = build_store(
        tmp / "schema.db", [source, copy, article("The tram line opened.", title="Tram")], [rel]
    )
    return create_app(db, token="")


# Built at import: schemathesis collects one test per operation from a loaded schema.
_TMP = Path(tempfile.mkdtemp(prefix="unspin-schema-"))
atexit.register(shutil.rmtree, _TMP, True)
WEB_APP = _app(_TMP)
schema = schemathesis.openapi.from_asgi("/api/openapi.json", WEB_APP).exclude(
    path="/api/jobs", method="POST"
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate()


def test_schema_covers_every_page() -> None:
    from fastapi.testclient import TestClient

    spec = TestClient(WEB_APP).get("/api/openapi.json").json()
    paths = set(spec["paths"])
    for path in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/pairs/{copy_id}/{source_id}",
        "/api/jobs/{job_id}",
        "/api/summary",
    ):
        assert path in paths, path
    assert not any(p.startswith("/articles") for p in paths)  # HTML pages stay out of the API
