package config_test

import (
	"fmt"
	"time"

	"github.com/dashkit/dashkit/config"
)

// Production without a strong secret refuses to start, and the error names
// the variable.
func ExampleLoad() {
	env := map[string]string{"DASHKIT_ENV": "production", "SECRET_KEY": "development-key"}
	_, err := config.Load(func(k string) string { return env[k] }, nil)
	fmt.Println(err)
	// Output: config: SECRET_KEY: production needs a SECRET_KEY of at least 32 bytes: generate one with `openssl rand -base64 48`
}

// Intervals are durations; a bare number is seconds.
func ExampleLoad_durations() {
	env := map[string]string{"REFRESH_INTERVAL": "2.5", "HEARTBEAT_INTERVAL": "5s"}
	c, err := config.Load(func(k string) string { return env[k] }, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(c.RefreshInterval, c.Heartbeat, c.RefreshInterval == 2500*time.Millisecond)
	// Output: 2.5s 5s true
}
