"""The access policy of one workspace, built one way for every caller (`sql`, `ask`, `metric`,
the board): the role's PII policy from the workspace's roles (shopql.toml), and the PII class of
each column from the catalog, added to the built-in classes (a catalog may mark more columns
personal or change a class, never make a built-in personal column public)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.errors import ExitCode, ShopqlError
from shopql.warehouse.guard import (
    BUILTIN_PII,
    DEFAULT_MASK,
    KEY_MACRO,
    MASKS,
    PERSON,
    PII_POLICIES,
    GuardContext,
    Schema,
    warehouse_schema,
)


def pii_columns(catalog: Any) -> dict[str, dict[str, str]]:
    """table -> column -> PII class: the built-ins, then the catalog's classes over them."""
    try:
        found = catalog.pii_columns() if catalog is not None else {}
    except Exception:  # a broken catalog must not switch masking off
        found = {}
    return _over_builtins(found)


def _over_builtins(found: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged = {t: dict(cols) for t, cols in BUILTIN_PII.items()}
    for table, cols in found.items():
        merged.setdefault(table.lower(), {}).update({c.lower(): k for c, k in cols.items()})
    return merged


def guard_context(
    settings: Any,
    *,
    schema: Schema | None = None,
    catalog: Any = None,
    row_cap: int | None = None,
) -> GuardContext:
    """The guard's context for `settings.role` in `settings.workspace`."""
    classes = pii_columns(catalog) if catalog is not None else _catalog_pii(settings)
    if schema is None and settings.warehouse_path.exists():
        schema = warehouse_schema(settings.warehouse_path)
    return GuardContext.for_role(
        settings.role,
        row_cap=settings.row_cap if row_cap is None else row_cap,
        schema=schema,
        roles=settings.roles,
        pii_columns=classes,
    )


def guard_context_at(warehouse: Path, role: str, row_cap: int) -> GuardContext:
    """The same context for a bare warehouse path (the workspace is its folder)."""
    from shopql.config import DEFAULT_ROLES, Settings, load_settings
    from shopql.errors import ShopqlError

    try:
        settings = load_settings(warehouse.parent, require=False)
    except ShopqlError:
        settings = Settings(workspace=warehouse.parent, roles=dict(DEFAULT_ROLES))
    from dataclasses import replace

    return guard_context(replace(settings, role=role), row_cap=row_cap)


def _catalog_pii(settings: Any) -> dict[str, dict[str, str]]:
    """pii_columns of the workspace's catalog (the built-in classes alone when it does not load),
    its catalog loaded once per process while its files stay the same (catalog.store
    pii_columns_of): the same classes _load_catalog's catalog gives."""
    from shopql.catalog.store import pii_columns_of

    try:
        return _over_builtins(pii_columns_of(settings.workspace, settings.timezone))
    except Exception:  # the built-in classes still apply
        return _over_builtins({})


def _load_catalog(settings: Any) -> Any:
    from shopql.catalog.store import load_catalog

    try:
        return load_catalog(settings.workspace, timezone=settings.timezone)
    except Exception:  # the built-in classes still apply
        return None


@dataclass(frozen=True)
class PersonalData:
    """What a role may see of personal data read OUTSIDE the guard (`shopql customer`,
    `identity explain`, `tags show`, the board's Customers tab): the same classes (built-ins plus
    the catalog's) and the same masking expressions the guard writes into its masking
    subqueries, so a value shows the same whichever command prints it — an account key as its
    keyed pseudonym (``tmall:k3f9c…``, the reader connection's macro), a phone as
    ``138****1234``. ``deny`` gives NULL where the guard removes the column (a person key is
    masked, as in the guard)."""

    policy: str = "mask"
    columns: dict[str, dict[str, str]] = field(default_factory=lambda: dict(BUILTIN_PII))

    @classmethod
    def of(cls, policy: str | PersonalData) -> PersonalData:
        """`policy` as a PersonalData (a bare policy name gets the built-in classes; an
        unknown name is masked: closed by default)."""
        if isinstance(policy, PersonalData):
            return policy
        return cls(policy=policy if policy in PII_POLICIES else "mask")

    @property
    def shows(self) -> bool:
        return self.policy == "show"

    def kind(self, table: str, column: str) -> str | None:
        """The PII class of table.column, None for a column that holds no personal data."""
        return self.columns.get(table.lower(), {}).get(column.lower())

    def sql(self, table: str, column: str, value: str) -> str:
        """SQL for `value` (an expression reading table.column) as the role may see it."""
        return self.sql_for(self.kind(table, column), value)

    def sql_for(self, kind: str | None, value: str) -> str:
        """SQL for `value` holding personal data of class `kind` as the role may see it."""
        if kind is None or self.policy == "show":
            return value
        if self.policy == "deny" and kind != PERSON:
            return "NULL"
        return "(" + MASKS.get(kind, DEFAULT_MASK).format(c=f"CAST({value} AS VARCHAR)") + ")"

    def ready(self, con: Any) -> PersonalData:
        """Make `con` able to run the masks: account keys are pseudonymised by the keyed-hash
        macro every reader connection defines; a connection opened otherwise (a writer, a
        plain duckdb.connect) gets it here, with the secret of the warehouse's workspace."""
        if self.policy == "show":
            return self
        from shopql.warehouse.guard import key_macro_sql

        found = con.execute(
            "SELECT 1 FROM duckdb_functions() WHERE function_name = ? LIMIT 1", [KEY_MACRO]
        ).fetchone()
        if found is None:
            from shopql.warehouse.connection import database_path, pseudonym_secret

            path = database_path(con)
            if path is None:
                raise ValueError("personal data is masked on a warehouse file's connection")
            con.execute(key_macro_sql(pseudonym_secret(path.parent)))
        return self

    def value(self, con: Any, kind: str | None, value: Any) -> Any:
        """One Python value as the role may see it (masked by `con`, a DuckDB connection: a
        reader connection for account keys, whose macro holds the workspace's secret)."""
        if value is None or kind is None or self.policy == "show":
            return value
        mask = self.sql_for(kind, "v")
        if KEY_MACRO in mask:
            self.ready(con)
        row = con.execute(f"SELECT {mask} FROM (SELECT ?::VARCHAR AS v)", [str(value)]).fetchone()
        return row[0] if row else None


def personal_data(settings: Any, catalog: Any = None) -> PersonalData:
    """The PersonalData of `settings.role` in `settings.workspace` (the guard's classes)."""
    if catalog is None:
        catalog = _load_catalog(settings)
    policy = PersonalData.of(str((settings.roles or {}).get(settings.role, {}).get("pii", "mask")))
    return PersonalData(policy.policy, pii_columns(catalog))


class RoleRefused(ShopqlError):
    """The role may not run this command (exit 3, as the guard's and an export's refusals)."""

    exit_code = ExitCode.REFUSED


# Commands only some roles may run: an allow-list each (a role added in shopql.toml gets no right
# from here), with what the command rewrites and what to do instead.
# - identity build: it reads raw phones, e-mails and openids and rewrites the one_id every
#   segment, tag and person view refers to; its options change how accounts are joined (syncs
#   rebuild OneID too, but always with the workspace's own [identity] settings);
# - catalog upgrade: the catalog carries every column's PII class, and --take replaces a file the
#   owner edited (a PII class they added).
COMMAND_ROLES: dict[str, tuple[frozenset[str], str, str]] = {
    "identity build": (
        frozenset({"admin"}),
        "it rewrites every person's one_id",
        "ask an admin to run it (OneID is also rebuilt by every sync)",
    ),
    "catalog upgrade": (
        frozenset({"admin"}),
        "the catalog holds every column's PII class",
        "ask an admin to run it; `shopql catalog upgrade --dry-run` shows what it would do",
    ),
}


def require_role_for(settings: Any, command: str) -> None:
    """Raise RoleRefused unless `settings.role` may run `command` (a key of COMMAND_ROLES)."""
    roles, rewrites, hint = COMMAND_ROLES[command]
    if settings.role not in roles:
        raise RoleRefused(
            f"role {settings.role} may not run `{command}` ({rewrites}); nothing was changed", hint
        )
