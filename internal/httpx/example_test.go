package httpx_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"

	"github.com/dashkit/dashkit/internal/httpx"
)

// Behind a load balancer at 10.0.0.2, the client claims to be 198.51.100.1;
// the load balancer appends the address it saw.
func ExampleClientAddr() {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.0.0.2:41000"
	r.Header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.7")

	fmt.Println(httpx.ClientAddr(r, nil))
	fmt.Println(httpx.ClientAddr(r, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}))
	// Output:
	// 10.0.0.2
	// 203.0.113.7
}
