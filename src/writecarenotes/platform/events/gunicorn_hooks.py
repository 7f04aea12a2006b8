"""Gunicorn configuration hooks: `gunicorn -c python:writecarenotes.platform.events.gunicorn_hooks`.

Starts the in-process events worker thread in each gunicorn worker process after it has loaded
the application (threads do not survive a fork, so never in the master). The thread only starts
when WCN_RUN_INPROCESS_WORKER=1 (set by `writecarenotes serve`) and WCN_EVENTS_MODE=inprocess.
"""


def post_worker_init(worker) -> None:
    from writecarenotes.platform.events.worker import start_if_enabled

    start_if_enabled()
