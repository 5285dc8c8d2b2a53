package connectors

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// nonPublic returns the IPv4 and IPv6 range, beyond what netip.Addr's
// predicates name, that a holds, where no public service lives.
func nonPublic(a netip.Addr) (netip.Prefix, bool) {
	for _, p := range [...]string{
		"0.0.0.0/8",       // "this network"
		"100.64.0.0/10",   // carrier-grade NAT
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // TEST-NET-1
		"198.18.0.0/15",   // benchmarking
		"198.51.100.0/24", // TEST-NET-2
		"203.0.113.0/24",  // TEST-NET-3
		"240.0.0.0/4",     // reserved, and broadcast
		"64:ff9b:1::/48",  // local-use NAT64
		"100::/64",        // discard-only
		"2001:db8::/32",   // documentation
	} {
		if pre := netip.MustParsePrefix(p); pre.Contains(a) {
			return pre, true
		}
	}
	return netip.Prefix{}, false
}

// addrPolicy decides which dialled addresses FetchJSON may connect to.
type addrPolicy struct {
	loopback bool
	allowed  []netip.Prefix
}

// check returns nil for a public address, or for one the options allow.
func (p addrPolicy) check(a netip.Addr) error {
	a = a.Unmap()
	if a.Is6() && netip.MustParsePrefix("64:ff9b::/96").Contains(a) { // NAT64: the last 32 bits are IPv4
		b := a.As16()
		a = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	for _, pre := range p.allowed {
		if pre.Contains(a) {
			return nil
		}
	}
	if a.IsLoopback() {
		if p.loopback {
			return nil
		}
		return fmt.Errorf("%w: %s is loopback (HTTPOptions.AllowLoopback)", ErrAddressNotAllowed, a)
	}
	switch {
	case !a.IsValid(), a.IsUnspecified(), a.IsPrivate(), a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast(),
		a.IsInterfaceLocalMulticast(), a.IsMulticast():
		return fmt.Errorf("%w: %s is not a public address (HTTPOptions.AllowNetworks)", ErrAddressNotAllowed, a)
	}
	if pre, ok := nonPublic(a); ok {
		return fmt.Errorf("%w: %s is in %s (HTTPOptions.AllowNetworks)", ErrAddressNotAllowed, a, pre)
	}
	return nil
}

// control is a net.Dialer Control hook: it runs for every address the
// dialer is about to connect to, after resolution and before any packet
// leaves, so DNS rebinding cannot slip a private address past it.
func (p addrPolicy) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot parse %q", ErrAddressNotAllowed, address)
	}
	return p.check(ap.Addr())
}

// hostPolicy holds HTTPOptions.AllowedHosts: exact names, and "*.suffix"
// for any subdomain of suffix. Empty allows every host.
type hostPolicy []string

func (h hostPolicy) check(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q (http or https only)", ErrHostNotAllowed, u.Scheme)
	}
	if len(h) == 0 {
		return nil
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	for _, allowed := range h {
		allowed = strings.ToLower(allowed)
		if suffix, ok := strings.CutPrefix(allowed, "*."); ok {
			if strings.HasSuffix(host, "."+suffix) {
				return nil
			}
		} else if host == allowed {
			return nil
		}
	}
	return fmt.Errorf("%w: %q is not in HTTPOptions.AllowedHosts", ErrHostNotAllowed, host)
}

// newClient builds the client FetchJSON sends through: no proxy from the
// environment (the address check must see the real destination), the
// address policy in the dialer's Control hook, the host policy and the
// redirect limit on every hop. Deadlines come from the request's context.
func newClient(opts HTTPOptions) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if opts.Dialer != nil {
		d := *opts.Dialer
		dialer = &d
	}
	policy := addrPolicy{loopback: opts.AllowLoopback, allowed: opts.AllowNetworks}
	theirs, theirsCtx := dialer.Control, dialer.ControlContext
	dialer.Control = nil
	dialer.ControlContext = func(ctx context.Context, network, address string, c syscall.RawConn) error {
		if err := policy.control(network, address, c); err != nil {
			return err // before the caller's hook: nothing leaves
		}
		switch {
		case theirsCtx != nil:
			return theirsCtx(ctx, network, address, c)
		case theirs != nil:
			return theirs(network, address, c)
		}
		return nil
	}
	hosts := hostPolicy(opts.AllowedHosts)
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			DisableKeepAlives:     true, // a fetch is one connection (per attempt); none lingers
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 0, // the attempt's deadline bounds it
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opts.MaxRedirects {
				return fmt.Errorf("%w: %s redirects to %s (HTTPOptions.MaxRedirects is %d)", ErrRedirect, via[len(via)-1].URL.Redacted(), req.URL.Redacted(), opts.MaxRedirects)
			}
			return hosts.check(req.URL)
		},
	}
}
