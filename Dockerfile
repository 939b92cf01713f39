# One image for every deployable: the command picks the subgraph or the gateway.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY scripts ./scripts
COPY bench ./bench
# The build also bundles the explorer (GraphiQL, from devDependencies) into dist/explorer.
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    APOLLO_TELEMETRY_DISABLED=1 \
    TZ=UTC
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY schema ./schema
USER node
CMD ["node", "--max-old-space-size=256", "dist/gateway/main.js"]
