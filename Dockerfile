# Marquee web image: gunicorn behind a load balancer, static files served by WhiteNoise.
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
# collectstatic needs a SECRET_KEY to import production settings; it is not used at run time.
RUN SECRET_KEY=collectstatic-only-not-a-real-secret-key-0123456789abcdefghij \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/media /app/private && chown marquee:marquee /app/media /app/private

USER marquee
EXPOSE 8000
CMD ["sh", "-c", "gunicorn config.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
