package redisstore_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/cache/redisstore"
)

// TestBrokerFansOutBetweenReplicas: a message published by one replica
// reaches the subscribers of its channel on another, and a replica with no
// subscriber of a channel is not subscribed to it in Redis.
func TestBrokerFansOutBetweenReplicas(t *testing.T) {
	client := newRedisClient(t)
	newBroker := func() *redisstore.Broker {
		b, err := redisstore.NewBroker(client, redisstore.BrokerOptions{Timeout: time.Second})
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, b.Close()) })
		return b
	}
	a, b := newBroker(), newBroker()
	channel := uniqueNamespace("broker")
	got := make(chan string, 4)
	unsubscribe, err := b.Subscribe(channel, func(msg []byte) { got <- string(msg) })
	require.NoError(t, err)
	require.Equal(t, 0, a.Channels(), "no subscription without a local subscriber")
	require.Equal(t, 1, b.Channels())
	n, err := client.PubSubNumSub(t.Context(), channel).Result()
	require.NoError(t, err)
	require.Equal(t, int64(1), n[channel], "one Redis subscription: replica b's")

	require.NoError(t, a.Publish(t.Context(), channel, []byte("update-1")))
	select {
	case m := <-got:
		require.Equal(t, "update-1", m)
	case <-time.After(5 * time.Second):
		t.Fatal("the message did not arrive")
	}
	unsubscribe()
	require.Equal(t, 0, b.Channels())
	require.Eventually(t, func() bool {
		n, err := client.PubSubNumSub(t.Context(), channel).Result()
		return err == nil && n[channel] == 0
	}, 5*time.Second, 10*time.Millisecond, "the last local subscriber's leaving unsubscribes in Redis")
	require.NoError(t, a.Publish(t.Context(), channel, []byte("update-2")))
	select {
	case m := <-got:
		t.Fatalf("got %q after unsubscribing", m)
	case <-time.After(200 * time.Millisecond):
	}
}
