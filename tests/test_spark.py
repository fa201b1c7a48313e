"""The Spark job in a real local Spark session equals the local pipeline on the same input.

One Spark session (local[2]) and one job run serve the whole module: the input is a WARC
built from the HTML files of examples/, the crawl WARC of examples/, and a JSONL file of
the text articles of examples/ (with two bad lines). ``unspin add`` of the same inputs
into a fresh store is the reference.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")

from typer.testing import CliRunner  # noqa: E402

from provenance_samples import (  # noqa: E402
    HEAVY_ORIGINAL,
    HEAVY_SPUN,
    hosts_of_one_paragraph,
)
from unspin.api import Unspin  # noqa: E402
from unspin.claims.extract import EXTRACTOR_VERSION  # noqa: E402
from unspin.cli import app  # noqa: E402
from unspin.errors import InputError  # noqa: E402
from unspin.model import COPY_KINDS, Article  # noqa: E402
from unspin.spark import SparkOptions, import_parquet, run_job, spark_session  # noqa: E402
from unspin.spark.io import expand_inputs  # noqa: E402
from unspin.spark.load import read_table  # noqa: E402

pytestmark = pytest.mark.spark

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

if shutil.which("java") is None:
    pytest.skip("Spark needs Java (17) on the PATH", allow_module_level=True)


def _build_inputs(folder: Path) -> list[str]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = folder / "pages.warc.gz"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for page in sorted(EXAMPLES.rglob("*.html")):
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://examples.example/{page.parent.name}/{page.stem}",
                "response",
                payload=io.BytesIO(page.read_bytes()),
                http_headers=http,
            )
            writer.write_record(record)
    jsonl = folder / "texts.jsonl"
    lines = [
        json.dumps({"text": p.read_text(encoding="utf-8")}) for p in sorted(EXAMPLES.rglob("*.txt"))
    ]
    # a heavy spin only an embedding neighbour proposes (the Spark join must find it too)
    lines += [json.dumps({"text": HEAVY_ORIGINAL}), json.dumps({"text": HEAVY_SPUN})]
    lines.insert(1, "{not json")
    lines.append(json.dumps({"title": "no body"}))
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(warc), str(EXAMPLES / "crawl" / "news.warc.gz"), str(jsonl)]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _build_inputs(tmp_path_factory.mktemp("spark-in"))


@pytest.fixture(scope="module")
def spark():
    session = spark_session(
        "local[2]",
        shuffle_partitions=2,
        conf=[("spark.ui.enabled", "false"), ("spark.default.parallelism", "2")],
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def local(inputs: list[str], tmp_path_factory: pytest.TempPathFactory):
    """The local pipeline (``unspin add``) over the same inputs."""
    u = Unspin(tmp_path_factory.mktemp("spark-local") / "local.db")
    report = u.add(inputs)
    yield u, report
    u.close()


@pytest.fixture(scope="module")
def out(spark, inputs: list[str], tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("spark-out") / "tables"
    report = run_job(
        spark, inputs, SparkOptions(out=str(folder), partitions=2, shuffle_partitions=2)
    )
    return folder, report


def _rows(folder: Path, name: str) -> list[dict[str, Any]]:
    rows = read_table(folder, name)
    assert rows is not None, f"the job wrote no {name} table"
    return rows


def _relation_set(rows: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(r["source_id"], r["copy_id"], r["kind"]) for r in rows}


def _local_relations(u: Unspin) -> list[dict[str, Any]]:
    rows = u.store.conn.execute("SELECT * FROM relations ORDER BY source_id, copy_id")
    return [dict(r) for r in rows]


def _store_stories(u: Unspin) -> set[frozenset[str]]:
    """The story clustering a store holds, as a partition of its article ids."""
    rows = u.store.conn.execute("SELECT story_id, article_id FROM story_members")
    return _partition([(str(s), str(a)) for s, a in rows])


def _partition(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for story, article in pairs:
        groups.setdefault(story, set()).add(article)
    return {frozenset(g) for g in groups.values()}


def _components(ids: list[str], edges: list[tuple[str, str]]) -> set[frozenset[str]]:
    """Reference connected components (union-find) of the local store's relations."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    return _partition([(find(i), i) for i in ids])


def test_same_article_ids(out, local) -> None:
    folder, report = out
    u, _ = local
    ids = [r["id"] for r in _rows(folder, "articles")]
    assert len(ids) == len(set(ids)), "one row per text id"
    assert sorted(ids) == sorted(u.store.article_ids())
    assert report.articles == len(ids)


def test_same_failures(out, local) -> None:
    folder, _ = out
    _, add_report = local
    spark_failures = {(r["source"], r["reason"]) for r in _rows(folder, "failures")}
    assert spark_failures == {(f.source, f.reason) for f in add_report.failed}
    assert len(spark_failures) == 2


def test_same_copy_relations(out, local) -> None:
    folder, _ = out
    u, _ = local
    spark_rel = _relation_set(_rows(folder, "relations"))
    local_rel = _relation_set(_local_relations(u))
    assert spark_rel == local_rel
    assert {"edited_copy", "spun_copy"} <= {k for _, _, k in spark_rel}
    heavy = (Article.create(HEAVY_ORIGINAL).id, Article.create(HEAVY_SPUN).id, "spun_copy")
    assert heavy in spark_rel


def test_same_relation_evidence(out, local) -> None:
    folder, _ = out
    u, _ = local
    stored = {(r.source_id, r.copy_id): r for r in u.store.copy_relations()}
    rows = [r for r in _rows(folder, "relations") if r["kind"] in COPY_KINDS]
    assert rows
    for row in rows:
        rel = stored[(row["source_id"], row["copy_id"])]
        assert row["direction"] == rel.direction
        assert row["reused"] == pytest.approx(rel.reused)
        assert [(s["source"], s["copy"], s["copy_start"]) for s in row["substitutions"]] == [
            (s.source, s.copy, s.copy_start) for s in rel.substitutions
        ]


def test_same_story_grouping(out, local) -> None:
    folder, report = out
    u, _ = local
    stories = _rows(folder, "stories")
    spark_groups = _partition([(r["story_id"], r["article_id"]) for r in stories])
    edges = [(r["source_id"], r["copy_id"]) for r in _local_relations(u)]
    assert spark_groups == _components(u.store.article_ids(), edges)
    assert report.stories == len(spark_groups)
    # The flood-forecast original, its edited copy and both spun copies are one story.
    assert max(len(g) for g in spark_groups) == 4
    assert all(
        r["size"] == len(next(g for g in spark_groups if r["article_id"] in g)) for r in stories
    )


def _claim_keys(claims) -> list[tuple[str, int, int, str]]:
    return [(c.kind, c.start, c.end, c.words) for c in claims]


def test_same_claims(out, local) -> None:
    folder, report = out
    u, _ = local
    rows = _rows(folder, "claims")
    assert report.claims == len(rows) > 0
    assert report.claims_version == EXTRACTOR_VERSION
    by_article: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_article.setdefault(r["article_id"], []).append(r)
    for article_id in u.store.article_ids():
        stored = u.store.get_claims(article_id, EXTRACTOR_VERSION)
        assert stored is not None, "the local pipeline extracts claims of every new article"
        found = sorted(by_article.get(article_id, []), key=lambda r: r["pos"])
        assert [(r["kind"], r["start"], r["end"], r["words"]) for r in found] == _claim_keys(stored)


def test_huge_bucket_offers_only_its_earliest_sources(spark) -> None:
    """A copy family of 40 sharing every band: 5 sources each, not all 780 pairs."""
    from unspin.spark.job import band_pairs

    rows = [(f"a{i:02d}", 0, "f", i, [11, 22, 33]) for i in range(40)]
    rows.append(("loner", 0, "f", 99, [44]))
    df = spark.createDataFrame(
        rows, "id string, ord_input int, ord_path string, ord_record long, band_keys array<long>"
    )
    pairs = [
        (r["a_id"], r["b_id"], r["shared"]) for r in band_pairs(df, max_candidates=5).collect()
    ]
    assert len(pairs) == 0 + 1 + 2 + 3 + 4 + 5 * 35
    assert {a for a, _, _ in pairs} == {f"a{i:02d}" for i in range(5)}
    assert all(a < b and shared == 3 for a, b, shared in pairs)


def test_a_common_anchor_links_its_earliest_holders_as_the_index_does(
    spark, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five articles around one shared paragraph, an anchor counting while at most two
    earlier articles hold it: the join pairs the first three holders, the pairs the
    local batch search finds (and the incremental add, tests/test_provenance.py)."""
    from unspin.provenance import candidates, index
    from unspin.provenance.fingerprint import fingerprints
    from unspin.spark.job import anchor_pairs, band_pairs

    hosts = hosts_of_one_paragraph()
    fps = fingerprints([h.text for h in hosts])
    rows = [
        (h.id, 0, "f", k, sorted(set(fp.index_keys.tolist())), fp.anchors.tolist())
        for k, (h, fp) in enumerate(zip(hosts, fps, strict=True))
    ]
    df = spark.createDataFrame(
        rows,
        "id string, ord_input int, ord_path string, ord_record long, "
        "band_keys array<long>, anchor_keys array<long>",
    )
    banded = band_pairs(df).select("a_id", "b_id")
    found = banded.unionByName(anchor_pairs(df, exclude=banded, max_df=2).select("a_id", "b_id"))
    joined = {(r["a_id"], r["b_id"]) for r in found.collect()}
    monkeypatch.setattr(candidates, "ANCHOR_MAX_DF", 2)
    local = {(hosts[i].id, hosts[j].id) for i, j, _ in index.batch_candidates(fps)}
    assert joined == local == {(hosts[i].id, hosts[j].id) for i, j in ((0, 1), (0, 2), (1, 2))}
    every = {(r["a_id"], r["b_id"]) for r in anchor_pairs(df, exclude=banded).collect()}
    assert len(every) == 10  # at the shipped ANCHOR_MAX_DF every holder pairs


def test_import_loads_the_tables_into_a_store(out, local, tmp_path: Path) -> None:
    folder, _ = out
    u, _ = local
    with Unspin(tmp_path / "imported.db") as imported:
        report = import_parquet(imported.store, folder)
        assert report.articles == {"added": len(u.store.article_ids())}
        assert imported.store.article_ids() == u.store.article_ids(), "same ingest order"
        assert _relation_set(_local_relations(imported)) == _relation_set(_local_relations(u))
        key = lambda r: (r.source_id, r.copy_id)  # noqa: E731
        assert sorted(imported.store.copy_relations(), key=key) == sorted(
            u.store.copy_relations(), key=key
        ), "every field of every copy relation, evidence included, survives the import"
        assert imported.store.unindexed_ids() == []
        spun = next(r for r in imported.store.copy_relations() if r.kind == "spun_copy")
        assert imported.trace(spun.copy_id).chain[-1].source_id == spun.source_id
        assert imported.store.count_claims() == u.store.count_claims()
        assert report.stories == imported.store.count_stories() == u.store.count_stories()
        assert _store_stories(imported) == _store_stories(u)
        article_id = u.store.article_ids()[0]
        assert _claim_keys(imported.claims(article_id)) == _claim_keys(u.claims(article_id))


def test_imported_index_finds_new_copies(out, tmp_path: Path) -> None:
    folder, _ = out
    with Unspin(tmp_path / "imported.db") as u:
        import_parquet(u.store, folder)
        original = max(u.store.iter_articles(), key=lambda a: a.n_words)
        edited = (
            original.text.rsplit("\n\n", 1)[0] + "\n\nA paragraph the copying outlet added itself."
        )
        added = u.add_text(edited)
        assert added.added
        kinds = {r.kind for r in u.relations_of(added.added[0])}
        assert kinds & COPY_KINDS


def test_cli_import(out, local, tmp_path: Path) -> None:
    folder, _ = out
    u, _ = local
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(app, ["--db", str(db), "import", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["articles"] == {"added": u.store.count_articles()}
    assert data["relations"] == sum(u.store.count_relations().values())
    assert data["claims"] == sum(u.store.count_claims().values())
    assert data["stories"] == u.store.count_stories()


def test_expand_inputs_walks_folders_like_add(tmp_path: Path) -> None:
    for name in ("b.jsonl", "a.html", "c.warc.gz", "README.md", "notes.bin", ".hidden/x.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = expand_inputs([str(tmp_path), "s3a://bucket/cc-news/", "s3a://bucket/more.jsonl"])
    assert found == [
        (0, str(tmp_path / "a.html"), "html"),
        (0, str(tmp_path / "b.jsonl"), "jsonl"),
        (0, str(tmp_path / "c.warc.gz"), "warc"),
        (1, "s3a://bucket/cc-news/", "warc"),
        (2, "s3a://bucket/more.jsonl", "jsonl"),
    ]


@pytest.mark.parametrize("bad", ["/no/such/input.warc.gz", "empty-folder"])
def test_expand_inputs_names_the_bad_input(bad: str, tmp_path: Path) -> None:
    path = tmp_path / bad if bad == "empty-folder" else Path(bad)
    if bad == "empty-folder":
        path.mkdir()
    with pytest.raises(InputError, match=str(path)):
        expand_inputs([str(path)])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["spark", "run", "/no/such/file.warc.gz", "--out", "x"], "no such file"),
        (["import", "/no/such/folder"], "no such folder"),
    ],
)
def test_cli_errors_name_the_input(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "e.db"), *args])
    assert result.exit_code == 1
    assert message in result.stderr
