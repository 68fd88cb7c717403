# agora-capture worker / receiver / emulator image.
# Debian-based Node, not Alpine: the Temporal SDK's native core has no musl build.
FROM node:20.20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY agora ./agora
COPY activities ./activities
COPY workflows ./workflows
COPY worker ./worker
COPY client ./client
COPY emulator ./emulator
COPY bin ./bin
COPY tsconfig.json ./
USER node
# Default: the worker. docker-compose overrides the command for the receiver and emulator.
CMD ["node", "--import", "tsx", "worker/main.ts"]
