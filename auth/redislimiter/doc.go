// Package redislimiter keeps login limits in Redis, so that replicas
// behind a load balancer share them: an attacker who spreads attempts over
// the replicas gets no more than against one.
//
// A [Limiter] is an [auth.LoginLimiter]: each key ("user:<name>",
// "addr:<address>") counts attempts in a window that starts with its first
// attempt, and a successful sign-in gives its attempt back. When Redis
// fails, [auth.Auth] limits in process instead, so sign-in keeps working.
//
// It lives apart from package auth so that a program with one replica
// links no Redis client.
package redislimiter
