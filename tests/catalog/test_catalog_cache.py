"""The loaded catalog is kept whole in the workspace's .shopql/cache (keyed by the catalog files'
text, the code that reads them and the versions) and is never stale: an edit, a new file, a
broken file or another version is read afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopql.catalog.compiler import compile_query
from shopql.catalog.model import CatalogError
from shopql.catalog.semantic import SemanticQuery
from shopql.catalog.store import CATALOG_CACHE, load_catalog

QUERY = SemanticQuery(metrics=("paid_gmv", "buyers"), dimensions=("platform",))


def _cache(ws: Path) -> Path:
    return ws / ".shopql" / CATALOG_CACHE


def test_a_kept_catalog_compiles_as_the_built_one(workspace: Path) -> None:
    built = load_catalog(workspace, disk_cache=True)
    assert _cache(workspace).is_file()
    kept = load_catalog(workspace, disk_cache=True)
    assert kept is not built  # read from the file, not this process's memory
    assert sorted(kept.metrics) == sorted(built.metrics)
    assert compile_query(kept, QUERY).sql == compile_query(built, QUERY).sql
    assert kept.metrics["paid_gmv"].synonyms == built.metrics["paid_gmv"].synonyms


def test_an_edited_catalog_file_is_read_afresh(workspace: Path) -> None:
    load_catalog(workspace, disk_cache=True)
    metrics = workspace / "catalog" / "metrics.yaml"
    text = metrics.read_text(encoding="utf-8")
    assert "synonyms: [paid gmv, sales," in text
    metrics.write_text(text.replace("[paid gmv, sales,", "[paid gmv, zorblax takings, sales,"))
    assert (
        "zorblax takings" in load_catalog(workspace, disk_cache=True).metrics["paid_gmv"].synonyms
    )
    metrics.write_text(text, encoding="utf-8")  # and back
    assert (
        "zorblax takings"
        not in load_catalog(workspace, disk_cache=True).metrics["paid_gmv"].synonyms
    )


def test_a_new_file_another_version_or_a_damaged_cache_rebuilds(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shopql

    load_catalog(workspace, disk_cache=True)
    # _introspected.yaml (written by `catalog refresh`) is part of what the catalog is made of
    (workspace / "catalog" / "_introspected.yaml").write_text(
        "row_counts: {orders: 12345}\n", encoding="utf-8"
    )
    assert load_catalog(workspace, disk_cache=True).tables["orders"].row_count == 12345
    first = _cache(workspace).read_bytes()
    monkeypatch.setattr(shopql, "__version__", "99.0")
    assert load_catalog(workspace, disk_cache=True).tables["orders"].row_count == 12345
    assert _cache(workspace).read_bytes() != first  # rewritten under the new version's key
    _cache(workspace).write_bytes(_cache(workspace).read_bytes()[:200])  # truncated
    assert load_catalog(workspace, disk_cache=True).tables["orders"].row_count == 12345


def test_a_catalog_with_errors_is_not_kept(workspace: Path) -> None:
    metrics = workspace / "catalog" / "metrics.yaml"
    text = metrics.read_text(encoding="utf-8")
    metrics.write_text(text.replace("measure: paid_amount", "measure: no_such_measure", 1))
    with pytest.raises(CatalogError):
        load_catalog(workspace, disk_cache=True)
    assert not _cache(workspace).exists()
    with pytest.raises(CatalogError):  # still an error the second time (nothing kept)
        load_catalog(workspace, disk_cache=True)
