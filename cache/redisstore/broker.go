package redisstore

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// BrokerOptions configure a [Broker]. The zero value is a working default.
type BrokerOptions struct {
	// Timeout bounds each PUBLISH and SUBSCRIBE; zero means 50 ms.
	Timeout time.Duration
	// Buffer is how many received messages may wait for delivery; zero
	// means 1,024. Past it go-redis drops messages (and logs), which the
	// dashboard survives: each replica also reads the shared cache.
	Buffer int
}

// Broker carries messages between replicas over Redis PUB/SUB, as the
// dashboard's Broker: the replica that computes a view publishes its
// update once, and every replica with viewers of the view receives it.
// All channels share one connection, which go-redis re-establishes (and
// resubscribes) by itself after an outage; a channel is subscribed only
// while it has a local subscriber.
type Broker struct {
	client  redis.UniversalClient
	ps      *redis.PubSub
	timeout time.Duration

	mu   sync.Mutex
	subs map[string]map[*subscriber]struct{}
	done chan struct{}
	once sync.Once
}

type subscriber struct{ deliver func([]byte) }

// NewBroker starts a Broker over client, which the caller owns and closes
// after the Broker. Close the Broker to stop its goroutine.
func NewBroker(client redis.UniversalClient, opts BrokerOptions) (*Broker, error) {
	if client == nil || opts.Timeout < 0 || opts.Buffer < 0 {
		return nil, fmt.Errorf("redisstore: broker: nil client, or negative Timeout or Buffer")
	}
	b := &Broker{
		client:  client,
		ps:      client.Subscribe(context.Background()),
		timeout: cmp.Or(opts.Timeout, 50*time.Millisecond),
		subs:    make(map[string]map[*subscriber]struct{}),
		done:    make(chan struct{}),
	}
	ch := b.ps.Channel(redis.WithChannelSize(cmp.Or(opts.Buffer, 1024)))
	go b.run(ch)
	return b, nil
}

func (b *Broker) run(ch <-chan *redis.Message) {
	defer close(b.done)
	for m := range ch {
		b.mu.Lock()
		subs := make([]*subscriber, 0, len(b.subs[m.Channel]))
		for s := range b.subs[m.Channel] {
			subs = append(subs, s)
		}
		b.mu.Unlock()
		for _, s := range subs {
			s.deliver([]byte(m.Payload))
		}
	}
}

// Publish sends msg to channel's subscribers on every replica.
func (b *Broker) Publish(ctx context.Context, channel string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	if err := b.client.Publish(ctx, channel, msg).Err(); err != nil {
		return fmt.Errorf("redisstore: publish: %w", err)
	}
	return nil
}

// Subscribe calls deliver with each message on channel, on the Broker's
// goroutine, until unsubscribe. The first local subscriber of a channel
// subscribes it in Redis. An error (Redis down) still leaves the
// subscription in place: it takes effect when the connection is back.
func (b *Broker) Subscribe(channel string, deliver func([]byte)) (unsubscribe func(), err error) {
	s := &subscriber{deliver: deliver}
	// Redis commands run under mu, so a channel's SUBSCRIBE and
	// UNSUBSCRIBE reach Redis in the order of the map's changes.
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs[channel] == nil {
		b.subs[channel] = make(map[*subscriber]struct{})
		ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
		err = b.ps.Subscribe(ctx, channel)
		cancel()
		if err != nil {
			err = fmt.Errorf("redisstore: subscribe: %w", err)
		}
	}
	b.subs[channel][s] = struct{}{}
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			delete(b.subs[channel], s)
			if len(b.subs[channel]) == 0 {
				delete(b.subs, channel)
				ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
				_ = b.ps.Unsubscribe(ctx, channel)
				cancel()
			}
		})
	}, err
}

// Channels returns how many channels the Broker is subscribed to.
func (b *Broker) Channels() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// Close ends every subscription and stops the Broker's goroutine. It is
// idempotent.
func (b *Broker) Close() error {
	var err error
	b.once.Do(func() {
		err = b.ps.Close()
		<-b.done
	})
	return err
}
