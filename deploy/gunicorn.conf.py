"""gunicorn settings for riskedu: `gunicorn -c deploy/gunicorn.conf.py app:app` (see docs/deploy.md)."""

import multiprocessing
import os

bind = os.environ.get("RISKEDU_BIND", "127.0.0.1:8000")
# Requests are short and mostly wait on the database or the disk: two workers per core, a few threads each.
workers = int(os.environ.get("RISKEDU_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("RISKEDU_THREADS", 4))
worker_class = "gthread"
# A sync batch (100 items, one commit each) takes well under a second; 30 s means something is stuck.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so slow leaks never add up.
max_requests = 5000
max_requests_jitter = 500
# The app writes its own JSON request lines (riskedu.requests); gunicorn's access log would repeat them.
accesslog = None
errorlog = "-"
# Pages and packs render once per process: load the app before forking so workers share that work.
preload_app = True
forwarded_allow_ips = os.environ.get("RISKEDU_FORWARDED_ALLOW_IPS", "127.0.0.1")
