// Package testenv gives dashkit's tests the real services they run against.
//
// Integration tests talk to real servers, never to mocks. Each server is named
// by an environment variable; when the variable is unset the test is skipped
// with a message that names the variable, so `go test ./...` passes on any
// machine, while CI (which sets all three) runs every integration test.
//
//	DASHKIT_REDIS_URL     redis://127.0.0.1:6379/0
//	DASHKIT_POSTGRES_URL  postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//	DASHKIT_BROWSER       /usr/bin/chromium
package testenv
