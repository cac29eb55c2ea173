# syntax=docker/dockerfile:1
# The bot in a container: `docker compose up -d` (compose.yaml: the bot and PostgreSQL), or
# `docker build -t alita-news . && docker run -d --env-file .env -v alita-data:/data alita-news`
# (SQLite in the volume). README, "Docker". Not built on the development machines (no engine
# there); what was checked instead is listed in the README.
ARG NODE_VERSION=24

# Build: production dependencies only (esbuild, which bundles, is one of them), with the compilers
# better-sqlite3 falls back to where its prebuilt binary cannot be downloaded; then dist/.
FROM node:${NODE_VERSION}-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# node-gyp takes the headers of the image's own Node instead of downloading them.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY bin bin
COPY scripts/build.mjs scripts/build.mjs
COPY commands commands
COPY data data
COPY src src
RUN node scripts/build.mjs

# Run: no compilers, no dev dependencies; the code belongs to root and is read-only for the bot.
FROM node:${NODE_VERSION}-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
# `docker compose exec bot alita-news backup /data/backup.sqlite`: the CLI's build finds dist/
# up to date (same sources, same folder) and writes nothing.
RUN ln -s /app/bin/alita-news.js /usr/local/bin/alita-news \
 && mkdir /data && chown node:node /data
USER node
# The store lives in the volume; compose.yaml points DATABASE_URL at its PostgreSQL instead.
VOLUME /data
ENV DATABASE_URL=sqlite:///data/alita-army.sqlite
# GET /healthz for the health check below (inside the container; publish the port to scrape /metrics).
ENV HEALTH_PORT=8080
# npm start's environment: glibc's malloc arenas capped (README, "Memory").
ENV MALLOC_ARENA_MAX=2
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HEALTH_PORT}/healthz`, { signal: AbortSignal.timeout(8000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# npm start's node command, exactly (test/deploy-files.test.ts compares them): exec form, so node
# gets SIGTERM itself and stops within 10 s; compose.yaml adds an init process (init: true).
CMD ["node", "--max-semi-space-size=2", "--max-old-space-size=256", "--heap-growing-percent=60", "dist/main.js"]
