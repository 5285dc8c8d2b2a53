// Package config reads a dashboard service's configuration from the
// environment, once, at the edge: the host's main calls [Load] and hands
// the typed values down (to dashboard.Options, auth.TokenOptions, the cache
// store it builds). Nothing in the library reads the environment.
//
// # Variables
//
//	DASHKIT_ENV         development (default) | production
//	SECRET_KEY          token signing key; production needs 32 bytes or more
//	SESSION_LIFETIME    duration, default 8h
//	HEARTBEAT_INTERVAL  duration, default 15s
//	DATABASE_URL        empty means embedded data
//	CACHE_TYPE          memory (default) | redis
//	REDIS_URL           needed by CACHE_TYPE=redis
//	MAX_DATA_POINTS     points a chart sends at most; 10000 (50000 in production)
//	REFRESH_INTERVAL    duration ("5s"; a bare number is seconds); unset: the app's default
//	ADDR                listen address; default 127.0.0.1:8050 in development, :8050 in production
//
// Durations are [time.Duration] strings. An invalid value is an [*Error]
// naming the variable. Production refuses to start without a secret of at
// least [MinSecretBytes] bytes ([ErrWeakSecret]), and refuses a secret anyone
// could know: one printed in dashkit's docs, examples or tests, or the
// development secret ([ErrPublicSecret]), or one with fewer than
// [MinDistinctSecretBytes] distinct bytes ([ErrLowEntropySecret]). Every
// refusal says how to make one: `openssl rand -base64 48`. Development
// generates one
// when SECRET_KEY is unset and keeps it in the user's cache directory
// ($XDG_CACHE_HOME/dashkit/dev-secret, or ~/.cache/dashkit/dev-secret), so
// a restart does not sign everyone out; production never signs with that
// file's secret, and refuses a SECRET_KEY equal to it.
//
// Enumerations ([Env], [CacheType]) have String and UnmarshalText, so the
// strings stay at the edge.
package config
