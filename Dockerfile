# The Portfolio Risk example in a container:
#   docker build -t dashkit-risk . && docker run -p 8050:8050 -e SECRET_KEY=$(openssl rand -base64 48) -e DASHKIT_ENV=production dashkit-risk -demo-users
# Build stage: the Go binary, which embeds the pinned ECharts build (no npm).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/risk ./examples/risk

# Run stage: no shell, no package manager, a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/risk /risk
USER nonroot:nonroot
ENV ADDR=:8050
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD ["/risk", "-healthcheck", "http://127.0.0.1:8050/healthz"]
ENTRYPOINT ["/risk"]
