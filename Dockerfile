# The Portfolio Risk example in a container:
#   docker build -t dashkit-risk . && docker run -p 8050:8050 -e SECRET_KEY=$(openssl rand -hex 32) -e DASHKIT_ENV=production dashkit-risk -demo-users
# Build stage: the Go binary and the pinned ECharts build.
FROM golang:1.26-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY web/package.json web/package-lock.json web/
RUN npm ci --prefix web --no-audit --no-fund
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/risk ./examples/risk

# Run stage: no shell, no package manager, a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/risk /risk
COPY --from=build /src/web/node_modules/echarts/dist/echarts.min.js /assets/echarts.min.js
USER nonroot:nonroot
ENV ADDR=:8050
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD ["/risk", "-healthcheck", "http://127.0.0.1:8050/healthz"]
ENTRYPOINT ["/risk", "-assets", "/assets"]
