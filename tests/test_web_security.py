"""The web app's defences: CSRF, size limits, read-only, bearer token, headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from _web_helpers import article, build_store, client, csrf
from unspin.web.pages import MAX_FILE_BYTES


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return build_store(
        tmp_path / "sec.db", [article("The harbour bridge reopened after repairs.", title="Bridge")]
    )


FORM = {"text": "An article posted without the form's token.", "title": "Forged"}


def test_form_without_csrf_token_is_refused(db: Path) -> None:
    c = client(db)
    csrf(c)  # the cookie is set, but the forged form cannot know its value
    r = c.post("/add/text", data=FORM)
    assert r.status_code == 403 and "security token" in r.text
    assert c.get("/api/articles", params={"q": "Forged"}).json()["total"] == 0


def test_form_with_wrong_csrf_token_is_refused(db: Path) -> None:
    c = client(db)
    csrf(c)
    r = c.post("/add/text", data={**FORM, "csrf_token": "0" * 64})
    assert r.status_code == 403


def test_form_with_token_but_no_cookie_is_refused(db: Path) -> None:
    c = client(db)
    token = csrf(c)
    c.cookies.clear()
    assert c.post("/add/text", data={**FORM, "csrf_token": token}).status_code == 403


def test_cross_origin_form_is_refused_even_with_token(db: Path) -> None:
    c = client(db)
    token = csrf(c)
    r = c.post(
        "/add/text", data={**FORM, "csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert r.status_code == 403


def test_csrf_cookie_is_strict_and_httponly(db: Path) -> None:
    r = client(db).get("/add")
    cookie = r.headers["set-cookie"].lower()
    assert "samesite=strict" in cookie and "httponly" in cookie


def test_api_write_needs_json_content_type(db: Path) -> None:
    c = client(db)
    r = c.post(
        "/api/articles", content=b'{"text": "x y z"}', headers={"Content-Type": "text/plain"}
    )
    assert r.status_code == 415


def test_api_write_from_other_origin_is_refused(db: Path) -> None:
    r = client(db).post(
        "/api/articles", json={"text": "A"}, headers={"Origin": "https://evil.example"}
    )
    assert r.status_code == 403


def test_request_body_over_limit_is_413(db: Path) -> None:
    c = client(db)
    token = csrf(c)
    big = "word " * (21 * 1024 * 1024 // 5)
    r = c.post("/add/text", data={"csrf_token": token, "text": big})
    assert r.status_code == 413


def test_chunked_body_over_limit_is_413(db: Path) -> None:
    c = client(db, max_request_bytes=1000)

    def chunks():  # type: ignore[no-untyped-def]  # no Content-Length: counted as it streams
        yield b'{"text": "'
        for _ in range(10):
            yield b"a" * 500
        yield b'"}'

    r = c.post("/api/articles", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert c.get("/api/articles").json()["total"] == 1


def test_uploaded_file_over_limit_is_413(db: Path) -> None:
    c = client(db)
    token = csrf(c)
    blob = b"x" * (MAX_FILE_BYTES + 1)
    r = c.post(
        "/add/files", data={"csrf_token": token}, files=[("files", ("big.txt", blob, "text/plain"))]
    )
    assert r.status_code == 413


def test_pasted_text_over_limit_is_refused(db: Path) -> None:
    c = client(db)
    token = csrf(c)
    r = c.post("/add/text", data={"csrf_token": token, "text": "a" * 1_000_001})
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("post", "/add/text", {"data": {"text": "Read-only text that must not be stored."}}),
        ("post", "/add/urls", {"data": {"urls": "https://example.org/"}}),
        ("post", "/api/articles", {"json": {"text": "Read-only text that must not be stored."}}),
        ("post", "/api/jobs", {"json": {"urls": ["https://example.org/"]}}),
    ],
)
def test_read_only_refuses_every_write(
    db: Path, method: str, path: str, kwargs: dict[str, object]
) -> None:
    c = client(db, read_only=True)
    token = csrf(c, "/login")  # a form page that read-only servers still show
    if "data" in kwargs:
        kwargs = {"data": {**kwargs["data"], "csrf_token": token}}  # type: ignore[dict-item]
    r = getattr(c, method)(path, **kwargs)
    assert r.status_code == 403 and "read-only" in r.text
    assert c.get("/api/articles").json()["total"] == 1


def test_read_only_hides_the_add_page_forms(db: Path) -> None:
    c = client(db, read_only=True)
    r = c.get("/add")
    assert "read-only" in r.text and '<form method="post"' not in r.text
    assert 'href="/add"' not in c.get("/").text


def test_read_only_on_missing_db_fails_fast(tmp_path: Path) -> None:
    from unspin.errors import StoreError
    from unspin.web import create_app

    with pytest.raises(StoreError, match="no database at"):
        create_app(tmp_path / "missing.db", read_only=True)


def test_token_required_for_api(db: Path) -> None:
    c = client(db, token="s3cret-token")
    assert c.get("/api/articles").status_code == 401
    assert c.get("/api/articles", headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = c.get("/api/articles", headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200 and ok.json()["total"] == 1


def test_token_required_for_pages_and_forms(db: Path) -> None:
    c = client(db, token="s3cret-token")
    r = c.get("/articles", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    r = c.post("/add/text", data={"text": "x"}, follow_redirects=False)
    assert r.status_code == 303


def test_login_sets_token_cookie(db: Path) -> None:
    c = client(db, token="s3cret-token")
    token = csrf(c, "/login")
    assert c.post("/login", data={"csrf_token": token, "token": "nope"}).status_code == 401
    r = c.post(
        "/login", data={"csrf_token": token, "token": "s3cret-token"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert c.get("/articles").status_code == 200
    assert c.get("/api/articles").status_code == 200


def test_token_from_environment(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from unspin.web import create_app

    monkeypatch.setenv("UNSPIN_TOKEN", "from-env")
    c = TestClient(create_app(db))
    assert c.get("/api/summary").status_code == 401
    assert c.get("/api/summary", headers={"Authorization": "Bearer from-env"}).status_code == 200


def test_static_files_need_no_token(db: Path) -> None:
    c = client(db, token="s3cret-token")
    assert c.get("/static/unspin.css").status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/summary", "/static/unspin.css", "/nope"])
def test_security_headers_everywhere(db: Path, path: str) -> None:
    r = client(db).get(path)
    assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "/etc/passwd", "ftp://example.org/x", "-"])
def test_api_jobs_accept_only_http_urls(db: Path, url: str) -> None:
    r = client(db).post("/api/jobs", json={"urls": [url]})
    assert r.status_code == 422 and "not an http(s) URL" in r.text
