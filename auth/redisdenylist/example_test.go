package redisdenylist_test

import (
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/auth/redisdenylist"
)

// Replicas that share a Redis share their logouts.
func ExampleNew() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", ContextTimeoutEnabled: true})
	defer client.Close()
	denylist, err := redisdenylist.New(client, redisdenylist.Options{Prefix: "dashkit:revoked:"})
	if err != nil {
		panic(err)
	}
	tokens, err := auth.NewTokens(auth.TokenOptions{Secret: []byte("0123456789abcdef0123456789abcdef"), Issuer: "ops", Audience: "dashboards"})
	if err != nil {
		panic(err)
	}
	a, err := auth.New(auth.Options{Tokens: tokens, Denylist: denylist})
	fmt.Println(a != nil, err)
	// Output: true <nil>
}
