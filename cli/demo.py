"""`shopql demo`: generate a multi-platform shop group, sync it, and show what it can answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from shopql.cli.output import format_option, print_json, stderr_console, stdout_console


@click.command()
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default="shopql-demo"
)
@click.option("--seed", type=int, default=42, show_default=True, help="Same seed, same files.")
@click.option(
    "--scale",
    type=click.FloatRange(min=0.05, max=1000),
    default=1.0,
    show_default=True,
    help="Size: 1 is about 20,000 orders over 18 months; grow it for benchmarks.",
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True, help="Pin the end date.")
@format_option("table", "json")
def demo(directory: Path, seed: int, scale: float, today: Any, fmt: str) -> None:
    """Generate 18 months of a fashion & home brand on Tmall, JD, Pinduoduo, Douyin and Shopify,
    written in each platform's real export format, sync them into a workspace in DIRECTORY
    (default ./shopql-demo), build OneID and show a tour.

    The same seed on the same day writes the same bytes, so running it again changes nothing;
    another seed, scale or day replaces the earlier demo's warehouse.
    """
    from shopql.demo.runner import run_demo

    console = stderr_console()
    result = run_demo(
        directory,
        seed=seed,
        scale=scale,
        today=today.date() if today else None,
        progress=lambda msg: console.print(f"[dim]{msg}…[/dim]"),
    )
    if fmt == "json":
        print_json(_as_json(result))
    else:
        _tour(result, directory)


def _as_json(result: Any) -> dict[str, Any]:
    return {
        "workspace": str(result.folder),
        "files": [
            {
                "file": Path(f.file).name,
                "status": f.status,
                "detected_as": f"{f.source}/{f.kind}" if f.source else None,
                "rows": f.rows_read,
                "loaded": f.rows_loaded,
                "quarantined": f.rows_quarantined,
                "reason": f.reason,
            }
            for f in result.report.files
        ],
        "tables": result.tables,
        "quarantined": [{"file": f, "reason": r, "rows": n} for f, r, n in result.quarantined],
        "oneid": {
            "accounts": result.accounts,
            "persons": result.persons,
            "multi_platform_persons": result.multi_platform_persons,
            "example_person": result.example_person,
        },
        "facts": result.facts,
        "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
    }


def _tour(result: Any, directory: Path) -> None:
    from rich.table import Table

    out = stdout_console()
    facts = result.facts
    out.print(
        f"\n[bold]栖木QIMU[/bold] — a fashion & home brand on Tmall, JD, Pinduoduo, Douyin and "
        f"Shopify, {facts['first_day']} … {facts['last_day']} (seed {facts['seed']})"
    )
    out.print(
        f"workspace [cyan]{result.folder}[/cyan]  (exports in exports/, facts in demo_facts.json; "
        f"generated in {result.seconds.get('generate', 0):.1f} s, "
        f"synced in {result.seconds.get('sync', 0):.1f} s)"
    )
    if result.rebuilt:
        out.print("[yellow]an earlier demo with other settings was replaced[/yellow]")
    files = Table(title="files synced", header_style="bold cyan")
    files.add_column("file", no_wrap=True, max_width=30)
    files.add_column("detected as", no_wrap=True, max_width=18)
    files.add_column("rows", justify="right", no_wrap=True, min_width=7)
    files.add_column("quarantined", justify="right", no_wrap=True, min_width=11)
    for f in result.report.files:
        detected = f"{f.source}/{f.kind}" if f.source else f"[yellow]{f.status}[/yellow]"
        if f.status != "loaded":
            files.add_row(_shown(f.file, result.folder), detected, "[dim]unchanged[/dim]", "")
            continue
        quarantined = f"[red]{f.rows_quarantined:,}[/red]" if f.rows_quarantined else "0"
        files.add_row(_shown(f.file, result.folder), detected, f"{f.rows_read:,}", quarantined)
    out.print(files)
    out.print("rows: " + ", ".join(f"{t} [bold]{n:,}[/bold]" for t, n in result.tables.items()))
    for file, reason, n in result.quarantined:
        out.print(f"[red]quarantined[/red] {n} row(s) of {file}: {reason}")
    out.print(
        f"OneID: [bold]{result.accounts:,}[/bold] customer accounts are [bold]{result.persons:,}[/bold] "
        f"people; [bold]{result.multi_platform_persons:,}[/bold] of them buy on more than one platform"
    )
    _planted(out, facts)
    _next_steps(out, result, directory)


def _shown(file: str, folder: Path) -> str:
    path = Path(file)
    try:
        return str(path.relative_to(folder / "exports"))
    except ValueError:
        return path.name


def _planted(out: Any, facts: dict[str, Any]) -> None:
    hot, incident, sofa = (
        facts["hot_product"],
        facts["payment_incident"],
        facts["sofa_and_coffee_table"],
    )
    window = incident["attempts_in_window"].get(incident["channel"], {"success": 0, "attempts": 0})
    out.print("\n[bold]planted in the data[/bold] (find them with the commands below)")
    out.print(
        f"  • {hot['title']} ({hot['outer_code']}) sold out at {hot['sold_out_at'][:16]} during a "
        f"Douyin live session; restocked {hot['restocked'][:10]}"
    )
    out.print(
        f"  • {incident['channel']} payments: {window['success']} of {window['attempts']} attempts "
        f"succeeded {incident['start'][:16]}–{incident['end'][11:16]}"
    )
    out.print(
        f"  • {sofa['sofa_buyers']} sofa buyers, {sofa['also_bought_coffee_table']} also bought a "
        f"coffee table ({sofa['coffee_table_on_another_platform']} on another platform)"
    )
    out.print(f"  • promotion peaks: {', '.join(facts['promotions'])}")


def _next_steps(out: Any, result: Any, directory: Path) -> None:
    from importlib.util import find_spec

    from shopql.cli.main import COMMANDS

    examples = [
        ("sql", 'shopql sql "select platform, count(*) as orders, sum(paid_amount) as gmv '
                'from orders group by platform order by gmv desc"'),
        ("sql", 'shopql sql "select channel, count(*) as attempts, avg((status = \'success\')::int) '
                'as success_rate from payments group by channel order by channel"'),
        ("metric", "shopql metric paid_gmv --by platform --grain month"),
        ("ask", 'shopql ask "近三个月各平台的销售额"'),
        ("ask", 'shopql ask "top 5 products by sales last month"'),
        ("ask", 'shopql ask "各品类的销售额"'),
    ]  # fmt: skip
    if result.example_person:
        examples.append(("customer", f"shopql customer {result.example_person}"))
        examples.append(("identity", f"shopql identity explain {result.example_person}"))
    replay = str(result.facts["payment_incident"]["start"])[:14] + "55"
    examples.append(("alert", f'shopql alert check --at "{replay}"'))
    examples.append(("board", "shopql board    # anchors on the data's last day"))
    examples.append(("board", f'shopql board --at "{replay}"    # the planted payment incident'))
    out.print("\n[bold]try next[/bold]")
    out.print(f"  cd {directory}")
    for name, command in examples:
        if find_spec(f"shopql.cli.{COMMANDS[name][0]}"):
            out.print(f"  {command}", highlight=False, markup=False, soft_wrap=True)
