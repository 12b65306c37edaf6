#!/usr/bin/env bash
# Lighthouse mobile audit (performance, accessibility, best practices) of a lesson, a quiz and the report form,
# served by gunicorn on loopback and audited with Debian's Chromium. Needs Node.js and npm for this benchmark
# only (the app itself never does): the lighthouse package is installed into a temporary folder.
#   bash bench/lighthouse.sh            -> a Markdown table for docs/benchmarks.md
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTHOUSE_VERSION=13.5.0
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

(cd "$work" && npm install --silent --no-audit --no-fund "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null)
export RISKEDU_ENV=production RISKEDU_SECRET_KEY=lighthouse-benchmark-secret-0123456789abcdef
export RISKEDU_DATABASE_URL="sqlite:///$work/lighthouse.sqlite3" RISKEDU_SESSION_COOKIE_SECURE=false
.venv/bin/flask db upgrade >/dev/null
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/gunicorn -c deploy/gunicorn.conf.py --bind "127.0.0.1:$port" --workers 2 app:app 2>/dev/null &
server=$!
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

lesson=$(ls content/en/lessons | head -n 1); lesson=${lesson%.md}
quiz=$(ls content/en/quizzes | head -n 1); quiz=${quiz%.yaml}
echo "| page | performance | accessibility | best practices |"
echo "|---|---|---|---|"
for path in "/en/lessons/$lesson" "/en/quiz/$quiz" "/ar/lessons/$lesson" "/en/report"; do
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")
    [ "$status" = 200 ] || { echo "| \`$path\` | (answers $status) | | |"; continue; }
    CHROME_PATH=$(command -v chromium) "$work/node_modules/.bin/lighthouse" "http://localhost:$port$path" \
        --quiet --output=json --output-path="$work/report.json" \
        --only-categories=performance,accessibility,best-practices \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync" \
        >/dev/null 2>&1
    .venv/bin/python - "$path" "$work/report.json" <<'PY'
import json, sys
categories = json.load(open(sys.argv[2]))["categories"]
score = lambda name: round(categories[name]["score"] * 100)
print(f"| `{sys.argv[1]}` | {score('performance')} | {score('accessibility')} | {score('best-practices')} |")
PY
done
