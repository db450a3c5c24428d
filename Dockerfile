# Production image of the Co-production Portal (used by docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango and HarfBuzz's subsetter; Thai fonts for the PDFs;
# gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-thai-tlwg \
        gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

ENV PORTAL_ENV=production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# Build-time only: production settings insist on a SECRET_KEY; this dummy never reaches
# the running container (docker-compose.yml passes the real one).
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
        python manage.py compilemessages --ignore=.venv -v 0 \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput -v 0

# Run as an unprivileged user (with a writable home for fontconfig's cache). /data/media is
# created here so that a fresh named volume mounted on it starts out owned by this user.
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/portal portal \
    && mkdir -p /data/media /app/var \
    && chown -R portal:portal /data /app/var
USER portal

EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
