# Darkroom app image: `docker build -t darkroom .` (docker-compose.yml builds it for you).
# Build stage: compile the server and the SPA, then drop dev dependencies.
FROM node:22-bookworm-slim AS build
WORKDIR /app
# Toolchain only for native modules that have no prebuilt binary for the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY src ./src
COPY client ./client
RUN npm run build && npm prune --omit=dev

# Runtime stage: the compiled app and production dependencies, run as the unprivileged `node` user.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
RUN mkdir -p /data && chown node:node /data
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node scripts/token.mjs ./scripts/token.mjs
USER node
VOLUME ["/data"]
EXPOSE 3000
# Ready = store and blob storage reachable; node's fetch, since the slim image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# Exec form, no npm or shell in between: SIGTERM reaches node, which drains and releases its jobs.
CMD ["node", "dist/main.js"]
