# MakerRoom production image: one image for the web process (gunicorn) and the task worker.
#   docker build -t makerroom .
#   docker compose up          (compose.yaml: web, worker, PostgreSQL, Redis, an S3-compatible store)
# Dependencies install exactly from uv.lock; the image runs as an unprivileged user.
# The lesson workbench, the full-flash bundle (esptool-js) and the batch flashing page, built from
# the pinned npm packages: the site serves them from its own origin, never from a CDN.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY courses/workbench/package.json courses/workbench/package-lock.json courses/workbench/
RUN cd courses/workbench && npm ci --no-audit --no-fund --loglevel=error
COPY courses/workbench courses/workbench
COPY firmware/vboard firmware/vboard
RUN cd courses/workbench && node build.mjs

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=makerroom.settings.production

# gettext compiles the catalogues; the CJK fonts draw Chinese in PDFs (labels, certificates):
# WenQuanYi Micro Hei is TrueType, which reportlab embeds; Noto CJK for everything else.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       gettext fonts-wqy-microhei fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir "uv==0.13.9" \
    && groupadd --system makerroom && useradd --system --gid makerroom --home /app --shell /usr/sbin/nologin makerroom

WORKDIR /app
# Dependencies first (cached while only the code changes), exactly as locked, with the s3 and
# observability (Sentry, Prometheus) extras.
COPY pyproject.toml uv.lock setup.py README.md ./
COPY firmware/host firmware/host
RUN uv sync --frozen --no-dev --extra s3 --extra observability --no-install-project

COPY . .
COPY --from=assets /src/courses/static/courses/workbench courses/static/courses/workbench
COPY --from=assets /src/firmware/static/firmware/batch.js firmware/static/firmware/batch.js
RUN uv sync --frozen --no-dev --extra s3 --extra observability \
    && python manage.py compilemessages -v0 --ignore ".venv/*" --ignore "node_modules/*" \
    && SECRET_KEY=build-only MAKERROOM_SINGLE_PROCESS=1 STATIC_ROOT=/app/static \
       python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/media /app/firmware-store \
    && chown -R makerroom:makerroom /app/media /app/firmware-store

USER makerroom
ENV STATIC_ROOT=/app/static MEDIA_ROOT=/app/media
EXPOSE 8000
# Asked as the TLS proxy asks: for the site's public name (the first of ALLOWED_HOSTS) over HTTPS;
# a bare http://127.0.0.1:8000 is refused by the host check (400) or sent to https:// (SECURE_SSL_REDIRECT).
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import os,sys,urllib.request; h=os.environ.get('ALLOWED_HOSTS','localhost').split(',')[0].strip().lstrip('.'); h='localhost' if h in ('','*') else h; r=urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}); sys.exit(urllib.request.urlopen(r, timeout=4).status != 200)"
# The web process; the worker runs the same image with `python manage.py worker --queue-name '*'`.
CMD ["gunicorn", "makerroom.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "30", "--forwarded-allow-ips", "*"]
