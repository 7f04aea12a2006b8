"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py writecarenotes.wsgi:application`.

Every value can be overridden from the environment (see writecarenotes.env.example).
WCN_SERVICES (read by the application, not by gunicorn) chooses the services this process serves.
"""

import multiprocessing
import os

bind = os.environ.get("WCN_BIND", "127.0.0.1:8001")
# Sync workers: simple, robust with the database, no async surprises (ADR 0001).
worker_class = "sync"
workers = int(os.environ.get("WCN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("WCN_WORKER_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (protects against slow leaks); jitter avoids all at once.
max_requests = 2000
max_requests_jitter = 200
# The gateway is on this host: trust its X-Forwarded-* headers only.
forwarded_allow_ips = os.environ.get("WCN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("WCN_LOG_LEVEL", "info").lower()
proc_name = "writecarenotes-" + (os.environ.get("WCN_SERVICES") or "all").replace(",", "+")


def post_worker_init(worker):
    # Starts the in-process events worker thread when WCN_EVENTS_MODE=inprocess (small installs);
    # with a broker (WCN_EVENTS_MODE=celery) this does nothing and `writecarenotes worker` delivers.
    from writecarenotes.platform.events.gunicorn_hooks import post_worker_init as start_events

    start_events(worker)
