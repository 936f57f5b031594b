"""`make bench`: build or reuse the scale databases, measure every figure against its raw limit, report.

Each figure is a ratio to a raw limit measured in the same run (the machine is shared, so absolute
times drift); the table is printed and written to bench/results.json with the machine it ran on.
The databases are kept: a later run reuses them when they hold the right number of candidates.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASES = {"cadre_scale_10k": 10_000, "cadre_scale_100k": 100_000, "cadre_scale": 1_000_000}
MAIN = "cadre_scale"
PROVINCE = "990000000000"

GOALS = {
    "list page 1": 2.0,
    "list page 400": 2.0,
    "detail": 4.0,
    "dashboard": 1.5,
    "export": 1.3,
    "export_rss_mb": 200,
    "import_s": 10,
    "wrk_rps": 150,
}


# The bare view's throughput the issue measured on this machine before any work: its goals in seconds and
# requests per second were set at that speed.
ISSUE_BARE_RPS = 1437


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


def _admin():
    return psycopg.connect(f"{SERVER}/postgres", autocommit=True)


def _seeded_size(name: str) -> int | None:
    """Candidates in the synthetic province, or None when the database is missing or not seeded."""
    with _admin() as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return None
    try:
        with psycopg.connect(f"{SERVER}/{name}") as conn:
            if not conn.execute("SELECT 1 FROM cadre_pool_orgunit WHERE code = %s", [PROVINCE]).fetchone():
                return None
            if not conn.execute("SELECT 1 FROM cadre_pool_user WHERE username = 'scale_organiser'").fetchone():
                return None
            return conn.execute(
                "SELECT count(*) FROM candidates_candidate c JOIN cadre_pool_orgunit t ON t.id = c.township_id "
                "WHERE t.code LIKE '99%%'"
            ).fetchone()[0]
    except psycopg.Error:
        return None


# The scale databases hold no usable account and no enrolled authenticator, so a fixed key will do.
BENCH_OTP_KEY = "YmVuY2gtb25seS1vdHAta2V5LW5vdC1hLXNlY3JldCE="


def _env(name: str) -> dict:
    return {
        "OTP_ENCRYPTION_KEY": BENCH_OTP_KEY,
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{SERVER}/{name}",
    }


def _manage(name: str, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=_env(name), check=True)


def ensure_database(name: str, size: int) -> None:
    found = _seeded_size(name)
    if found == size:
        say(f"{name}: reusing ({size:,} candidates); applying any new migrations")
        _manage(name, "migrate", "--no-input", "-v", "0")
        # A migration that rewrote rows leaves them out of the visibility map: index-only scans would
        # read the table until autovacuum came by. Cheap when nothing changed.
        with psycopg.connect(f"{SERVER}/{name}", autocommit=True) as conn:
            for table in ("candidates_candidate", "candidates_poolevent"):
                conn.execute(f"VACUUM ANALYZE {table}")
        return
    say(f"{name}: {'not seeded' if found is None else f'{found:,} candidates, not {size:,}'}; building it")
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    _manage(name, "migrate", "--no-input", "-v", "0")
    _manage(name, "load_reference_data")
    _manage(name, "seed_scale", "--candidates", str(size))
    say(f"{name}: built in {time.monotonic() - started:.0f} s")


def measure(name: str, task: str, **env) -> dict:
    result = subprocess.run(
        [PYTHON, "-m", "bench.measure", task],
        cwd=ROOT,
        env={**_env(name), **{key: str(value) for key, value in env.items()}},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"bench: {task} on {name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# A page of a few milliseconds is measured in several processes. One process's median moved by up to
# 20 % from the next one's (two cores: whether the process and its PostgreSQL backend share one, and
# the process's memory layout, stay fixed for its life), more than the 101 runs inside it vary.
PAGE_PROCESSES = int(os.environ.get("BENCH_PAGE_PROCESSES", 5))


def _median_process(figures: list[dict]) -> dict:
    """The figure of the process with the median ratio, with every process's ratio beside it."""
    ranked = sorted(figures, key=lambda figure: figure["ratio"])
    return {**ranked[len(ranked) // 2], "ratios": [figure["ratio"] for figure in figures]}


def measure_page(task: str) -> dict:
    runs = [measure(MAIN, task) for _ in range(PAGE_PROCESSES)]
    if task == "list":
        return {**runs[0], **{page: _median_process([run[page] for run in runs]) for page in ("page1", "page400")}}
    figure = _median_process(runs)
    if task == "detail":
        figure["floor"] = _median_process([run["floor"] for run in runs])
    return figure


# The export and its raw limit, each in a process of its own (for its peak memory), in the order app,
# raw, raw, app: the machine's speed drifts by up to twice within minutes, and one run of each in a row
# put a drift between them on one side only (1.13x in one session, 1.64x in the next, same code).
EXPORT_ORDER = ("export_app", "export_raw", "export_raw", "export_app")


def measure_export() -> dict:
    runs = {"export_app": [], "export_raw": []}
    for task in EXPORT_ORDER:
        runs[task].append(measure(MAIN, task))

    def combined(figures: list[dict]) -> dict:
        return {
            "rows": figures[0]["rows"],
            "seconds": round(statistics.mean(figure["seconds"] for figure in figures), 2),
            "runs": [figure["seconds"] for figure in figures],
            "bytes": figures[0]["bytes"],
            "peak_rss_mb": max(figure["peak_rss_mb"] for figure in figures),
        }

    return {"app": combined(runs["export_app"]), "raw": combined(runs["export_raw"])}


# Throughput -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    if shutil.which("wrk"):
        return shutil.which("wrk")
    say("wrk is missing; installing the Debian package")
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk")


def _wrk(wrk: str, url: str, cookie: str, seconds: int, connections: int) -> dict:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", *headers, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    latency = re.search(r"Latency\s+([\d.]+\w+)", out).group(1)
    return {"requests_per_s": rps, "requests": total, "errors": errors, "mean_latency": latency}


def throughput(name: str, seconds: int) -> dict:
    wrk = ensure_wrk()
    session = measure(name, "session")
    port = _free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "cadre_pool.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_env(name),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        url = base + session["list_path"]
        # A check that the list answers 200 signed in (not a redirect to the sign-in page).
        check = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", f"Cookie: {session['cookie']}", url],
            capture_output=True,
            text=True,
        ).stdout
        if check != "200":
            raise SystemExit(f"bench: the list answered {check} under gunicorn, not 200")
        _wrk(wrk, base + session["list_path"], session["cookie"], 3, 4)  # warm-up
        # The reference is a bare Django view with no session (the issue's 1,437 req/s figure).
        bare = _wrk(wrk, base + "/bench/bare/", "", seconds, 4)
        listing = _wrk(wrk, base + session["list_path"], session["cookie"], seconds, 4)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {"bare": bare, "list": listing, "ratio": round(listing["requests_per_s"] / bare["requests_per_s"], 3)}


# Report -----------------------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with psycopg.connect(f"{SERVER}/{MAIN}") as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
        shared_buffers = conn.execute("SHOW shared_buffers").fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory, 1),
        "postgresql": pg,
        "shared_buffers": shared_buffers,
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in load],
    }


def _over_runs(figure: dict, summary: str) -> str:
    runs = [str(seconds) for seconds in figure.get("runs", ())]
    return f" ({summary} of {', '.join(runs[:-1])} and {runs[-1]} s)" if len(runs) > 1 else ""


def _row(figure, measured, limit, ratio, goal, met) -> str:
    return f"| {figure} | {measured} | {limit} | {ratio} | {goal} | {'met' if met else 'NOT met'} |"


def report(results: dict) -> list[str]:
    lines = [
        "| figure | measured | raw limit | ratio | goal | |",
        "|---|---|---|---|---|---|",
    ]

    def timed(label: str, figure: dict, goal: str, met: bool) -> str:
        """A view against its raw SQL in the same run (the median process's, and the range over them)."""
        ratio = f"{figure['ratio']}×"
        if len(figure.get("ratios", ())) > 1:
            ratio += f" ({min(figure['ratios'])}–{max(figure['ratios'])}× over {len(figure['ratios'])} processes)"
        return _row(label, f"{figure['view_ms']} ms", f"{figure['raw_ms']} ms", ratio, goal, met)

    lst = results["list"]
    for page in ("page1", "page400"):
        label = f"candidate list {page[4:]}, township + status by name ({lst['matches']:,} matches)"
        lines.append(timed(label, lst[page], "≤ 2×", lst[page]["ratio"] <= GOALS[f"list page {page[4:]}"]))
    detail = results["detail"]
    label = f"candidate detail ({detail['data_queries']} data queries)"
    lines.append(timed(label, detail, "≤ 4×", detail["ratio"] <= GOALS["detail"]))
    dash = results["dashboard"]
    met = dash["ratio"] <= GOALS["dashboard"]
    lines.append(timed(f"district dashboard ({dash['files']:,} files)", dash, "≤ 1.5×", met))
    app, raw = results["export"]["app"], results["export"]["raw"]
    ratio = round(app["seconds"] / raw["seconds"], 2)
    results["export"]["ratio"] = ratio
    lines.append(
        _row(
            f"roster export, {app['rows']:,} rows (peak RSS {app['peak_rss_mb']} MB; raw {raw['peak_rss_mb']} MB)",
            f"{app['seconds']} s{_over_runs(app, 'mean')}",
            f"{raw['seconds']} s{_over_runs(raw, 'mean')}",
            f"{ratio}×",
            "≤ 1.3×, ≤ 200 MB",
            ratio <= GOALS["export"] and app["peak_rss_mb"] <= GOALS["export_rss_mb"],
        )
    )
    imp = results["import"]
    lines.append(
        _row(
            f"import {imp['rows']:,} rows, full validation ({imp['errors']} errors)",
            f"{imp['seconds']} s{_over_runs(imp, 'median')}",
            "—",
            "—",
            "≤ 10 s",
            imp["seconds"] <= GOALS["import_s"] and imp["errors"] == 0,
        )
    )
    if "throughput" in results:
        tp = results["throughput"]
        lines.append(
            _row(
                "list throughput, gunicorn 2 workers, wrk 4 connections",
                f"{tp['list']['requests_per_s']:.0f} req/s, {tp['list']['errors']} errors",
                f"bare view {tp['bare']['requests_per_s']:.0f} req/s",
                f"{tp['ratio']:.2f}",
                "≥ 150 req/s, 0 errors",
                tp["list"]["requests_per_s"] >= GOALS["wrk_rps"] and tp["list"]["errors"] == 0,
            )
        )
    counts = results["queries"]
    pages = list(next(iter(counts.values()))["counts"])
    same = all(len({counts[db]["counts"][page] for db in counts}) == 1 for page in pages)
    shown = "; ".join(f"{page}: " + "/".join(str(counts[db]["counts"][page]) for db in counts) for page in pages)
    lines.append(_row("queries per page at 10k / 100k / 1M", shown, "—", "—", "identical", same))
    if "throughput" in results:
        speed = results["throughput"]
        lines += [
            "",
            f"The machine's speed in this run: the bare view answered {speed['bare']['requests_per_s']:.0f} req/s "
            f"under wrk (the issue's own measurement before any work, on this machine: {ISSUE_BARE_RPS:,} req/s). "
            "The goals in seconds and requests per second depend on that speed: at the issue's speed, this run's "
            f"ratio of list to bare view ({speed['ratio']}) would give the list about "
            f"{speed['ratio'] * ISSUE_BARE_RPS:.0f} req/s (an estimate, not a measurement).",
        ]
    floor = detail["floor"]
    lines += [
        "",
        f"Candidate detail, its parts timed alone (median process): a signed-in request to a bare view "
        f"{detail['request_ms']} ms, the view building its context (reads through the ORM, timeline, forms) "
        f"{detail['context_ms']} ms, its templates rendered from that context {detail['templates_ms']} ms.",
        "",
        f"Candidate detail's floor: the same request running the page's statements through Django's cursor and "
        f"drawing base.html around the page's finished HTML took {floor['view_ms']} ms against the raw SQL's "
        f"{floor['raw_ms']} ms, {floor['ratio']}× ({min(floor['ratios'])}–{max(floor['ratios'])}× over "
        f"{len(floor['ratios'])} processes), before any row becomes HTML. Under the 4× goal that leaves "
        f"{max(0, round(4 * floor['raw_ms'] - floor['view_ms'], 2))} ms to turn the page's rows into its HTML; "
        f"the page spends {round(detail['view_ms'] - floor['view_ms'], 2)} ms.",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-wrk", action="store_true", help="leave out the gunicorn + wrk throughput figure")
    parser.add_argument("--wrk-seconds", type=int, default=int(os.environ.get("BENCH_WRK_SECONDS", 15)))
    parser.add_argument("--only", help="comma-separated: list,detail,dashboard,export,import,wrk,queries")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None

    started = time.monotonic()
    for name, size in DATABASES.items():
        ensure_database(name, size)
    results = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}

    def wanted(key):
        return only is None or key in only

    for key in ("list", "detail"):
        if wanted(key):
            say(f"measuring {key} in {PAGE_PROCESSES} processes")
            results[key] = measure_page(key)
    if wanted("dashboard"):
        say("measuring dashboard")
        results["dashboard"] = measure(MAIN, "dashboard")
    if wanted("export"):
        say("measuring the roster export (app, raw, raw, app: four processes)")
        results["export"] = measure_export()
    if wanted("import"):
        say("measuring the import")
        results["import"] = measure(MAIN, "import")
    if wanted("wrk") and not args.skip_wrk:
        say("measuring throughput under wrk")
        results["throughput"] = throughput(MAIN, args.wrk_seconds)
    if wanted("queries"):
        say("counting queries per page at each size")
        results["queries"] = {name: measure(name, "queries") for name in DATABASES}
    results["seconds"] = round(time.monotonic() - started)

    output = ROOT / "bench" / ("results.json" if only is None else "results-partial.json")
    if only is None:
        results["table"] = report(results)
        print("\n".join(results["table"]))
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    say(f"wrote {output.relative_to(ROOT)} in {results['seconds']} s")


if __name__ == "__main__":
    main()
