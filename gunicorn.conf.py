"""gunicorn for Marquee's web image (`gunicorn -c gunicorn.conf.py config.wsgi:application`).

Threaded workers: a Pay request may wait up to MARQUEE_GATEWAY_DEADLINE (25 s) on Razorpay,
and with sync workers each such wait takes a whole process out of service. Every value can be
changed through the environment; see docs/operations.md."""

import multiprocessing
import os

bind = f"{os.environ.get('BIND_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Longer than MARQUEE_GATEWAY_DEADLINE, so a slow gateway answers the customer before the worker dies.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Longer than the load balancer's idle timeout (AWS ALB: 60 s), so the balancer closes idle
# connections first and never sends a request down one gunicorn is closing.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# Recycle workers now and then (jittered, so they never restart together) against slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Trust X-Forwarded-* only from the address the balancer connects from (gunicorn's own check;
# Django's view of the client address is MARQUEE_TRUSTED_PROXY_COUNT).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
logger_class = "config.gunicorn_logging.JsonLogger"
control_socket_disable = True
