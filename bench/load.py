"""Load and soak: wrk against gunicorn on loopback (lesson pages and sync batches mixed, with resends), on
SQLite and, when RISKEDU_BENCH_DATABASE_URL is set, PostgreSQL; then count lost and duplicated items. Also
lesson-page throughput from nginx serving the same bytes from disk, for comparison.

    .venv/bin/python bench/load.py [--seconds 30] [--connections 32]

Needs Debian's wrk and nginx (apt-get install wrk nginx-light) and gunicorn (pip install '.[production]').
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskedu import create_app
from riskedu.content import content_catalog
from riskedu.database import database
from riskedu.sync.models import LessonProgress, SyncItem

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not come up")


def wrk(url: str, seconds: int, connections: int, env: dict[str, str], script: Path | None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    if script:
        return json.loads(output.split("RESULT ", 1)[1].splitlines()[0])
    lines = {line.split(":")[0].strip(): line for line in output.splitlines()}
    return {"rps": float(lines["Requests/sec"].split(":")[1])}


def run_on(label: str, database_url: str, lessons: list[str], args: argparse.Namespace) -> dict:
    env = {
        **os.environ,
        "RISKEDU_ENV": "production",
        "RISKEDU_SECRET_KEY": "load-benchmark-secret-key-0123456789abcdef",
        "RISKEDU_DATABASE_URL": database_url,
        "RISKEDU_RATELIMIT_ENABLED": "false",
        "RISKEDU_SESSION_COOKIE_SECURE": "false",
        "RISKEDU_LOAD_LESSONS": ",".join(lessons),
    }
    subprocess.run([BIN / "flask", "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "app:app"],
        env={**env, "RISKEDU_WORKERS": str(args.workers)},
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/readyz")
        result = wrk(
            f"http://127.0.0.1:{port}", args.seconds, args.connections, env, ROOT / "bench" / "load.lua"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    app = create_app(
        {"ENV": "testing", "SECRET_KEY": env["RISKEDU_SECRET_KEY"], "DATABASE_URL": database_url}
    )
    with Session(database(app).engine) as session:
        rows = session.scalar(select(func.count()).select_from(SyncItem)) or 0
        progress_rows = session.scalar(select(func.count()).select_from(LessonProgress)) or 0
        distinct = session.scalar(select(func.count(func.distinct(LessonProgress.id)))) or 0
    database(app).engine.dispose()
    result.update(
        database=label,
        rows=rows,
        # Answered "stored" but missing: must be 0.
        lost=max(result["stored"] - rows, 0),
        # Stored more than once (a resend that added a second row): must be 0.
        twice=(progress_rows - distinct) + abs(progress_rows - rows),
        # Committed, but wrk stopped before reading the answer: the phone would resend, and get "duplicate".
        in_flight=max(rows - result["stored"], 0),
    )
    return result


def nginx_baseline(page: bytes, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "lesson.html").write_bytes(page)
        port = free_port()
        (root / "nginx.conf").write_text(
            f"""pid {root}/nginx.pid; error_log {root}/error.log; worker_processes 2; daemon off;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {root}; proxy_temp_path {root}; fastcgi_temp_path {root};
  uwsgi_temp_path {root}; scgi_temp_path {root};
  server {{ listen 127.0.0.1:{port}; root {root}; default_type text/html; }} }}"""
        )
        server = subprocess.Popen(["nginx", "-c", str(root / "nginx.conf")], stderr=subprocess.DEVNULL)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/lesson.html")
            return wrk(
                f"http://127.0.0.1:{port}/lesson.html", args.seconds, args.connections, dict(os.environ), None
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")
    with tempfile.TemporaryDirectory() as folder:
        probe = create_app(
            {"ENV": "testing", "SECRET_KEY": "x" * 40, "DATABASE_URL": f"sqlite:///{folder}/p.sqlite3"}
        )
        with probe.test_request_context():
            lessons = [lesson.id for lesson in content_catalog().lessons_in_order("en")]
        page = probe.test_client().get(f"/en/lessons/{lessons[0]}").get_data()
        runs = [run_on("SQLite", f"sqlite:///{folder}/load.sqlite3", lessons, args)]
        if os.environ.get("RISKEDU_BENCH_DATABASE_URL"):
            runs.append(run_on("PostgreSQL", os.environ["RISKEDU_BENCH_DATABASE_URL"], lessons, args))
    baseline = nginx_baseline(page, args)
    print(
        f"wrk: {args.connections} connections, {args.seconds} s, gunicorn {args.workers} workers x 4 threads"
    )
    print(
        "| database | requests/s | p50 ms | p99 ms | errors | sync batches | answered stored "
        "| answered duplicate | lost | stored twice | unanswered at stop |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        print(
            f"| {r['database']} | {r['rps']:,.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['errors'] + r['non_2xx']} "
            f"| {r['sync_requests']:,} | {r['stored']:,} | {r['duplicate']:,} | {r['lost']} | {r['twice']} "
            f"| {r['in_flight']} |"
        )
    print(f"\nnginx serving the same lesson page from disk: {baseline['rps']:,.0f} requests/s")


if __name__ == "__main__":
    main()
