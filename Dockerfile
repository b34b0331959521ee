# LADO case manager: the same steps as scripts/start, for production (PostgreSQL via DATABASE_URL).
FROM python:3.11-slim

# pango and fonts: WeasyPrint (PDF letters) needs them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 LADO_ENVIRONMENT=production
WORKDIR /srv/lado
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
RUN pip install --no-cache-dir -e . \
 && useradd --system --uid 10001 --home /srv/lado lado \
 && mkdir -p /srv/lado/data && chown lado /srv/lado/data
USER lado
EXPOSE 8000
# `lado serve`: migrations run on start (alembic upgrade head), then uvicorn serves on port 8000,
# without a Server header, trusting X-Forwarded-For only from LADO_TRUSTED_PROXIES (set it to the
# reverse proxy's address; unset, every client's address is its own socket's). Production needs
# LADO_SECRET_KEY too (README, Keys).
CMD ["lado", "serve", "--host", "0.0.0.0", "--port", "8000"]
