"""Bring a workspace's catalog/ up to the default pack of the installed shopql.

`shopql init` copies the default pack into the workspace, where the user may edit it (and
`shopql catalog glossary --write` does). A newer shopql ships a newer pack — more synonyms, value
words, metrics — that an existing workspace would never see. `shopql catalog upgrade` replaces a
file only when its text is a version shopql itself shipped: the sha256 of every version of every
pack file is kept in `pack_history.json` beside the pack, so an edit is never overwritten. An
edited file is kept and the new default is written beside it, in catalog/_upgrade/, to compare;
`--take NAME` replaces it anyway (the user's text is kept there too).

Nothing is written unless the catalog the upgrade would produce loads with no new error.

    python -m shopql.catalog.upgrade --record   # after editing the pack: remember its versions
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from shopql.catalog.store import default_pack_dir
from shopql.errors import UsageError, WorkspaceError

HISTORY = "pack_history.json"  # in the shopql.catalog package, beside default/
ASIDE = "_upgrade"  # in a workspace's catalog/: new defaults beside edited files (never loaded)

# what happened to one pack file of a workspace
ADDED = "added"  # the workspace had no such file
CURRENT = "current"  # already this shopql's text
UPGRADED = "upgraded"  # an earlier shipped text, replaced
EDITED = "edited"  # changed by the user: kept, the new default written aside
TAKEN = "taken"  # changed by the user, replaced on request (--take): theirs written aside


@dataclass(frozen=True)
class Step:
    """One pack file: its name, what the upgrade does with it, and where anything set aside goes."""

    name: str
    status: str
    aside: str | None = None  # path relative to the workspace's catalog/, when something is

    def to_dict(self) -> dict[str, str | None]:
        return {"file": self.name, "status": self.status, "aside": self.aside}


def fingerprint(text: str) -> str:
    """The first 16 hex digits of the sha256 of `text` with its line endings made \\n."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()[:16]


def history_path() -> Path:
    return default_pack_dir().parent / HISTORY


def shipped_versions() -> dict[str, set[str]]:
    """file name -> the fingerprints of every text shopql has shipped for it."""
    try:
        data = json.loads(history_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    known = {name: set(prints) for name, prints in (data.get("files") or {}).items()}
    for path in default_pack_dir().glob("*.yaml"):  # the installed pack is shipped too
        known.setdefault(path.name, set()).add(fingerprint(path.read_text(encoding="utf-8")))
    return known


def plan(catalog_dir: Path, take: set[str] | None = None) -> list[Step]:
    """What `upgrade` would do to each pack file of `catalog_dir` (nothing is written).

    `take`: names of edited files to replace anyway (`{"all"}` for every one)."""
    take = take or set()
    pack = {p.name: p for p in sorted(default_pack_dir().glob("*.yaml"))}
    unknown = sorted(take - set(pack) - {"all"})
    if unknown:
        raise UsageError(
            f"--take {unknown[0]}: not a file of the default catalog",
            f"one of: {', '.join(pack)}, or all",
        )
    shipped = shipped_versions()
    steps: list[Step] = []
    for name, source in pack.items():
        mine = catalog_dir / name
        new = source.read_text(encoding="utf-8")
        if not mine.is_file():
            steps.append(Step(name, ADDED))
            continue
        have = fingerprint(mine.read_text(encoding="utf-8"))
        if have == fingerprint(new):
            steps.append(Step(name, CURRENT))
        elif have in shipped.get(name, set()):
            steps.append(Step(name, UPGRADED))
        elif name in take or "all" in take:
            steps.append(Step(name, TAKEN, f"{ASIDE}/{Path(name).stem}.yours.yaml"))
        else:
            steps.append(Step(name, EDITED, f"{ASIDE}/{name}"))
    return steps


def upgrade(
    workspace: Path, take: set[str] | None = None, *, dry_run: bool = False, timezone: str = ""
) -> list[Step]:
    """Apply `plan` to the workspace's catalog/ and return it; with `dry_run`, only return it.

    Checked first: the upgraded catalog is loaded from a scratch copy, and an error it has that
    the workspace's catalog does not have stops the upgrade with nothing written."""
    catalog_dir = workspace / "catalog"
    if not catalog_dir.is_dir():
        raise WorkspaceError(
            f"{workspace} has no catalog/ folder", "run `shopql init` in the workspace first"
        )
    steps = plan(catalog_dir, take)
    changing = [s for s in steps if s.status in (ADDED, UPGRADED, TAKEN)]
    if dry_run or not (changing or any(s.status == EDITED for s in steps)):
        return steps
    _refuse_links(catalog_dir, steps)
    if changing:
        _check(catalog_dir, changing, timezone)
    pack = default_pack_dir()
    (catalog_dir / ASIDE).mkdir(mode=0o700, exist_ok=True)
    for step in steps:
        mine, new = catalog_dir / step.name, pack / step.name
        if step.status == EDITED and step.aside:
            _write(catalog_dir / step.aside, new.read_text(encoding="utf-8"), mine)
        elif step.status == TAKEN and step.aside:
            _write(catalog_dir / step.aside, mine.read_text(encoding="utf-8"), mine)
    for step in changing:  # the new texts last, each replaced whole (os.replace)
        mine = catalog_dir / step.name
        _write(mine, (pack / step.name).read_text(encoding="utf-8"), mine)
    return steps


def _refuse_links(catalog_dir: Path, steps: list[Step]) -> None:
    """Raise when a path the upgrade would write or read aside is a symbolic link: a workspace
    from someone else could point catalog/, catalog/_upgrade or one of its files anywhere (a
    folder of start-up scripts), and the upgrade writes only inside the workspace."""
    paths = [catalog_dir, catalog_dir / ASIDE]
    for step in steps:
        paths.append(catalog_dir / step.name)
        if step.aside:
            paths.append(catalog_dir / step.aside)
    for path in paths:
        if path.is_symlink():
            raise WorkspaceError(
                f"{path} is a symbolic link: catalog upgrade writes only files of the workspace "
                "itself (nothing was changed)",
                "replace the link with the file or folder it points to, then run it again",
            )
    aside = catalog_dir / ASIDE
    if aside.exists() and not aside.is_dir():
        raise WorkspaceError(
            f"{aside} is not a folder (nothing was changed)", "move it away, then run it again"
        )


def _write(path: Path, text: str, like: Path) -> None:
    """Write `text` to `path` through a scratch file in the same folder, with `like`'s mode."""
    fd, scratch = tempfile.mkstemp(dir=path.parent, prefix=".upgrade-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        mode = like.stat().st_mode & 0o777 if like.exists() else 0o600
        os.chmod(scratch, mode)
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def _check(catalog_dir: Path, changing: list[Step], timezone: str) -> None:
    """Raise when the upgraded catalog has an error the current one does not (both loaded the
    same way, from a scratch copy of the workspace's catalog files)."""
    before = set(_trial_errors(catalog_dir, [], timezone))
    new = [e for e in _trial_errors(catalog_dir, changing, timezone) if e not in before]
    if new:
        where, message = new[0]
        raise UsageError(
            f"the upgraded catalog would have an error at {where}: {message} (nothing was changed)",
            "your edit of another catalog file may name something the new default dropped: "
            "`shopql catalog upgrade --dry-run` lists the files; fix the edit, or --take it",
        )


def _trial_errors(catalog_dir: Path, changing: list[Step], timezone: str) -> list[tuple[str, str]]:
    """The errors of the catalog made of `catalog_dir`'s YAML files with `changing` replaced by
    the pack's texts, loaded in a scratch folder."""
    from shopql.catalog.store import _load

    pack = default_pack_dir()
    with tempfile.TemporaryDirectory(prefix="shopql-upgrade-") as scratch:
        trial = Path(scratch) / "catalog"
        trial.mkdir()
        for path in catalog_dir.iterdir():
            if path.is_file() and path.suffix == ".yaml":
                shutil.copyfile(path, trial / path.name)
        for step in changing:
            shutil.copyfile(pack / step.name, trial / step.name)
        catalog, _ = _load(Path(scratch), strict=False, timezone=timezone or None)
        return [(str(i.where), i.message) for i in catalog.errors]


def record() -> list[str]:
    """Add the installed pack's fingerprints to pack_history.json (run after editing the pack, so
    a workspace holding this text is upgraded later); the names of the files that were new."""
    path = history_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    files: dict[str, list[str]] = data.get("files") or {}
    added = []
    for source in sorted(default_pack_dir().glob("*.yaml")):
        prints = files.setdefault(source.name, [])
        current = fingerprint(source.read_text(encoding="utf-8"))
        if current not in prints:
            prints.append(current)
            prints.sort()
            added.append(source.name)
    doc = {
        "about": "sha256[:16] of every shipped text of each default catalog file (catalog/upgrade.py)",
        "files": dict(sorted(files.items())),
    }
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return added


if __name__ == "__main__":  # python -m shopql.catalog.upgrade --record
    if sys.argv[1:] != ["--record"]:
        sys.exit("usage: python -m shopql.catalog.upgrade --record")
    names = record()
    print(f"recorded {len(names)} new version(s): {', '.join(names) or 'none'}")
