// Package redisdenylist keeps revoked tokens in Redis, so that a logout on
// one replica is honoured by every other.
//
// It lives apart from package auth so that a program with one replica (the
// in-memory [auth.MemoryDenylist]) links no Redis client.
//
// Each revoked token is one key, prefix + token ID, that expires when the
// token would have: Redis forgets revocations by itself. [Denylist.Revoked]
// returns Redis's error when it cannot ask, and [auth.Auth]'s middleware
// then refuses the token — revocation never fails open.
package redisdenylist
