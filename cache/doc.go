// Package cache memoizes expensive functions — a dashboard's queries — on
// one machine or across several replicas.
//
// # Concepts
//
// [New] wraps a [LoadFunc] — func(ctx, K) (V, error) — into a [Cache] whose
// [Cache.Get] has the same signature and returns the same results, keeping
// each value for a TTL. Keys are encoded stably and without collisions
// (strings, numbers, booleans, time.Time, and structs and arrays of them; a
// key function otherwise) under a namespace and version prefix, so a deploy
// that bumps the version invalidates everything at once.
//
//   - Singleflight: any number of concurrent callers for a missing key cause
//     one load. A caller whose context ends stops waiting without failing
//     the others; a load function that panics becomes an error for every
//     waiter, and the process lives.
//   - Results, not just truthy ones: zero values are cached; errors are not,
//     unless [Options.NegativeTTL] asks for a short negative cache.
//   - Refresh-ahead ([Options.RefreshAfter]) serves a value that is getting
//     old while one background load replaces it, which suits dashboards
//     that refresh on an interval.
//   - A failing store degrades, never fails: the value is computed and
//     returned, the failure counted and logged at most once per interval,
//     and hits resume by themselves when the store answers again.
//
// # Stores
//
// Entries live in a [Store]:
//
//   - [MemoryStore] (the default): Ristretto, bounded by cost with TinyLFU
//     admission, values held as they are.
//   - Package [github.com/dashkit/dashkit/cache/redisstore]: Redis through
//     go-redis v9, for replicas sharing one cache. It is a subpackage so
//     that a program caching in memory links no Redis client.
//   - [Chain]: a local store in front of a remote one. Unlike gocache's chain
//     cache, a Redis outage is never mistaken for a miss and never hides the
//     local level.
//
// Package cachetest holds the conformance suite every Store must pass.
//
// # Computing once across replicas
//
// A Cache loads each key once at a time in its process (singleflight). When
// its Store is also a [Leaser] — redisstore's is — it loads each key once
// between every process sharing the store: the one that takes the key's
// lease loads it; the others look for the value in the store every 20 ms,
// and load it themselves when the lease is released or expires without a
// value (its holder failed), after [Options.LeaseWait], or at once when the
// store cannot lease (Redis down: see [Cache.Shared] and the
// dashkit_cache_shared metric).
//
// # Why not gocache
//
// The stores once sat over gocache (lib/v4 and its Ristretto and Redis
// stores), and bypassed it for everything that mattered: gocache's store
// interface is untyped (a hit is an any to assert), its Ristretto store
// expires entries by reading the clock on every Get (half a hit's budget;
// [MemoryStore] ticks its own clock), its Redis store has no bounded,
// backing-off calls and no prefix deletion (SCAN and UNLINK went to the raw
// client anyway), and its chain cache treats an outage as a miss. What was
// left was an indirection and three modules. The [Store] interface here is
// generic, and each store talks to its engine — Ristretto, go-redis —
// directly; the engines are the dependencies that earn their place.
//
// # Observability
//
// Given a prometheus.Registerer, a Cache registers dashkit_cache_hits_total,
// misses_total, loads_total, load_errors_total, refreshes_total,
// store_errors_total{op} and load_duration_seconds, labelled with its
// namespace. [Cache.Close] unregisters them and stops every goroutine the
// cache started.
package cache
