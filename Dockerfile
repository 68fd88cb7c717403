# agora-capture worker / receiver / emulator image.
# Debian-based Node, not Alpine: the Temporal SDK's native core has no musl build. Node 24 LTS,
# the exact version CI tests on (scripts/ensure-node24.sh). Pinned by tag: the registry that
# would give its digest is not reachable from where this file is maintained; pin by digest in
# your build (docker buildx imagetools inspect node:24.19.0-bookworm-slim) if you need to.
#
# CI has no container engine: scripts/image-check.sh carries out this file's steps itself
# (test/image/dockerfile.ts reads them from here) in a sandbox and runs a capture through the
# result, so keep to FROM, WORKDIR, ENV, COPY [--from], RUN, USER and CMD.

# --- build: dev dependencies, tsc to dist/ and the prebuilt workflow bundle ---------------------
FROM node:24.19.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY agora ./agora
COPY activities ./activities
COPY workflows ./workflows
COPY worker ./worker
COPY client ./client
COPY emulator ./emulator
COPY config ./config
COPY storage ./storage
RUN npm run build

# --- runtime: production dependencies and dist/ only, as a non-root user -------------------------
FROM node:24.19.0-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# uid 1000 from the base image; the files above stay root-owned, so the process cannot change them.
USER node
# Default: the worker (it loads dist/workflow-bundle.js: NODE_ENV=production requires it).
# docker-compose.yml sets the receiver's, the emulator's and the setup job's commands.
CMD ["node", "dist/worker/main.js"]
