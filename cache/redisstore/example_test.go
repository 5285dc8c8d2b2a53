package redisstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dashkit/dashkit/cache"
	"github.com/dashkit/dashkit/cache/redisstore"
)

// Replicas that share a Redis compute each key once between them. Redis
// need not be up: the cache computes values while it is down.
func ExampleNew() {
	opts, err := redisstore.ClientOptions("redis://127.0.0.1:1/0") // nothing listens here
	if err != nil {
		panic(err)
	}
	client := redis.NewClient(opts)
	defer client.Close()
	store, err := redisstore.New[float64](client, redisstore.Options{Codec: redisstore.Msgpack()})
	if err != nil {
		panic(err)
	}
	exposure, err := cache.New(func(ctx context.Context, sector string) (float64, error) {
		return 1_250_000, nil
	}, cache.Options[string, float64]{Namespace: "exposure", TTL: 30 * time.Second, Store: store})
	if err != nil {
		panic(err)
	}
	defer exposure.Close()
	v, err := exposure.Get(context.Background(), "Energy")
	fmt.Println(v, err)
	// Output: 1.25e+06 <nil>
}
