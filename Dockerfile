# Quorum — multi-stage image: deps → production deps → build → runtime.
# Expects DATABASE_URL (PostgreSQL). Migrations run when the server starts.
# Set QUORUM_CODE_SECRET (32 or more random characters) or keep /app/.data on a volume: otherwise
# each new container makes a new code secret, and batches of participation codes made before it
# cannot be printed again (decision 037).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM deps AS build
WORKDIR /app
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 QUORUM_DATA_DIR=/app/.data/pglite
WORKDIR /app
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY package.json server.mjs ./
COPY db/migrations ./db/migrations
# The one directory the app writes, owned by the user it runs as (the rest of /app is root's):
# the code secret when QUORUM_CODE_SECRET is unset, and the embedded database (with its lock file
# beside it) when DATABASE_URL is unset. Unwritable, a production start without QUORUM_CODE_SECRET
# stops with a message naming it.
RUN install -d -o node -g node -m 700 /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server.mjs"]
