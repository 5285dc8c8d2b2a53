// Package redislimiter keeps login limits in Redis, so that replicas
// behind a load balancer share them: an attacker who spreads attempts over
// the replicas gets no more than against one.
//
// A [Limiter] is an [auth.LoginLimiter]: each limit [auth.Auth] passes (a
// user from one address, an address whatever the user) is a token bucket
// with the same rate, burst and wait as the process's own, timed by the
// Redis server's clock; a successful sign-in gives its attempt back. When
// Redis fails, [auth.Auth] limits in process instead, so sign-in keeps
// working.
//
// It lives apart from package auth so that a program with one replica
// links no Redis client.
package redislimiter
