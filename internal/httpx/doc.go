// Package httpx is the HTTP plumbing package auth and dashboard share: the
// client address behind trusted proxies ([ClientAddr]), a rate limiter
// keyed by that address or any other string ([Limiter]), and JSON answers
// ([WriteJSON]).
//
// # Where it sits
//
// auth is a leaf: it imports no other dashkit package, so it is usable
// alone. httpx keeps that true. It is the one exception the layering
// allows — a leaf may import an internal helper that itself imports nothing
// of dashkit (only the standard library and golang.org/x/time/rate) — so
// the arrows still point one way: internal helpers at the bottom, leaves
// above them, dashboard above the leaves, harnesses and examples on top.
// Being internal, httpx is no part of dashkit's API and can change with
// its two users.
package httpx
