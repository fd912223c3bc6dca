# syntax=docker/dockerfile:1
# Builds the web app and the binary (which embeds the app), then runs `serve`
# as an unprivileged user. Configure with CHANGEMAKERS__* variables (README).

FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY openapi/ /src/openapi/
RUN npm run build

FROM rust:1.95-bookworm AS backend
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src/ src/
COPY migrations/ migrations/
COPY tests/ tests/
COPY --from=frontend /src/frontend/dist/ frontend/dist/
RUN cargo build --release --locked --bin changemakers

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/changemakers --create-home changemakers
COPY --from=backend /src/target/release/changemakers /usr/local/bin/changemakers
USER changemakers:changemakers
WORKDIR /var/lib/changemakers
ENV CHANGEMAKERS__LISTEN=0.0.0.0:8080 \
    CHANGEMAKERS__DATA_DIR=/var/lib/changemakers/data \
    CHANGEMAKERS__LOG__FORMAT=json
VOLUME ["/var/lib/changemakers/data"]
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/changemakers"]
CMD ["serve"]
