#!/usr/bin/env bash
# The scaled event engine on the real services of the CI machine: Celery workers on RabbitMQ,
# PostgreSQL for the database. Called by .ci/run; exits non-zero on any failure, and FAILS (does not
# skip) when RabbitMQ or PostgreSQL cannot be reached, because WCN_REQUIRE_BROKER=1.
#
# Contract: run from the repository root after the venv is installed (.venv with '.[dev]');
# needs RabbitMQ on 127.0.0.1:5672 (guest/guest) and PostgreSQL on 127.0.0.1:5432 (trust auth,
# role root or postgres). Override with WCN_BROKER_URL / DATABASE_URL. Prints pytest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}

if [ -z "${DATABASE_URL:-}" ]; then
  for role in root postgres; do
    if "$PY" -c "import psycopg,sys; psycopg.connect('postgres://$role@127.0.0.1:5432/postgres', connect_timeout=3).close()" 2>/dev/null; then
      export DATABASE_URL="postgres://$role@127.0.0.1:5432/test"
      break
    fi
  done
fi
export WCN_BROKER_URL=${WCN_BROKER_URL:-amqp://guest:guest@127.0.0.1:5672//}
export WCN_REQUIRE_BROKER=1
export WCN_ENV=test
export WCN_DATA_DIR=${WCN_DATA_DIR:-$(mktemp -d /tmp/wcn-broker-XXXXXX)}

# The broker test, the worker-killed test and the whole events suite, all on PostgreSQL.
exec "$PY" -m pytest -q -p no:cacheprovider tests/test_events.py tests/test_events_process.py
