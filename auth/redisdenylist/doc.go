// Package redisdenylist keeps revoked tokens in Redis, so that a logout on
// one replica is honoured by every other.
//
// It lives apart from package auth so that a program with one replica (the
// in-memory [auth.MemoryDenylist]) links no Redis client.
//
// Each revoked token is one key, prefix + token ID, that expires when the
// token would have: Redis forgets revocations by itself.
//
// When Redis cannot be asked, the default is to fail closed:
// [Denylist.Revoked] returns Redis's error and [auth.Auth]'s middleware
// refuses the token, so a Redis outage signs everyone out of new requests.
// [Options.LocalFallback] chooses availability instead: the denylist
// answers from the revocations this replica has made or seen, and writes
// those made during the outage to Redis when it returns. What it gives up:
// a token revoked through another replica, and never seen revoked here,
// is accepted during the outage (at most until it expires).
package redisdenylist
