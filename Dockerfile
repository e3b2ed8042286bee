# Marquee web image: gunicorn (gunicorn.conf.py) behind a load balancer, static files served by WhiteNoise.
# The same image runs the task worker: `docker run IMAGE python manage.py qcluster`.
# Mount /app/media (posters) and /app/private (ticket PDFs) on storage every process shares.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000 \
    PRIVATE_ROOT=/app/private

# WeasyPrint needs Pango; DejaVu is the one font family tickets use.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 marquee

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=marquee:marquee . .
# collectstatic imports production settings, which refuse to load without their variables;
# these build-only values are never used at run time (the container's environment sets them).
# The translations' .mo files are committed; with gettext on the build machine they are compiled afresh.
RUN SECRET_KEY=collectstatic-only-not-a-real-secret-key-0123456789abcdefghij \
    EMAIL_ESP=console MARQUEE_SITE_URL=https://build.invalid REDIS_URL=redis://build.invalid:6379/0 \
    MARQUEE_TRUSTED_PROXY_COUNT=0 \
    sh -c 'if command -v msgfmt >/dev/null; then python manage.py compilemessages; fi; python manage.py collectstatic --noinput' \
 && mkdir -p /app/media /app/private && chown marquee:marquee /app/media /app/private

USER marquee
EXPOSE 8000
# gthread workers, keep-alive, worker recycling and JSON access lines: gunicorn.conf.py.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"]
