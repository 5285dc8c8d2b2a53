// Package redisstore is a [cache.Store] in Redis, for several replicas that
// share one cache.
//
// It lives apart from package cache so that a program that caches in memory
// (every dashboard by default) links no Redis client: importing cache or
// dashboard pulls in neither go-redis nor msgpack; importing redisstore does.
//
// # Behaviour
//
// [Store] talks to Redis through go-redis v9. Entries cross the wire
// through a [Codec] — [JSON] (the default, readable in redis-cli), [Gob] or
// [Msgpack] — inside a small envelope that keeps the load's time exactly, so
// refresh-ahead works across replicas. Every call is bounded by
// [Options.Timeout] (50 ms), and after a failure the store answers
// [cache.ErrStoreUnavailable] at once for [Options.RetryAfter] (one second):
// a Redis outage costs a dashboard almost nothing, the [cache.Cache] over
// it computes values instead, and hits resume by themselves when Redis is
// back. An entry that does not decode (a type changed between deploys) is
// a miss, never an error.
//
// Put a [cache.MemoryStore] in front of it with [cache.NewChain] to serve
// hot keys from process memory.
//
// The store passes the conformance suite in package cachetest, with every
// codec.
//
// # Replicas
//
// [Store.Lease] makes the store a [cache.Leaser], so a [cache.Cache] over it
// (directly or behind a [cache.Chain]) computes each key once between the
// replicas: SET key#lease token NX PX ttl, released by a script only while
// the lease holds the caller's token. [Broker] carries a dashboard's updates
// between replicas over PUB/SUB, subscribing a channel only while it has a
// local subscriber.
package redisstore
