"""Production server settings for quizapp (gunicorn)."""

import multiprocessing
import os

bind = os.environ.get("QUIZAPP_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("QUIZAPP_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 10
# Each worker builds its own app after the fork, so no database connection is ever
# shared between processes.
preload_app = False
accesslog = os.environ.get("QUIZAPP_ACCESS_LOG")  # unset: no access log
errorlog = "-"
# gunicorn's runtime control socket lives at one path per user, so two servers on one
# machine (a second class, or the tests) would collide; quizapp does not use it.
control_socket_disable = True
