package cache

import (
	"math"
	"testing"
	"time"
)

type fuzzKey struct {
	A, B string
	N    int64
	F    float64
	On   bool
	Arr  [2]string
}

// FuzzStructKeysDoNotCollide: two different keys never encode alike, and
// equal keys always do.
func FuzzStructKeysDoNotCollide(f *testing.F) {
	f.Add("a:b", "c", int64(1), 0.5, true, "x", "y", "a", "b:c", int64(1), 0.5, true, "x", "y")
	f.Add("", "1:", int64(0), math.Copysign(0, -1), false, "", "", "1:", "", int64(0), 0.0, false, "", "")
	f.Add("{", "}", int64(-1), 1e300, true, "3:abc", "", "{}", "", int64(-1), 1e300, true, "", "3:abc")
	enc, err := keyFunc[fuzzKey](nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, a1, b1 string, n1 int64, f1 float64, on1 bool, x1, y1 string, a2, b2 string, n2 int64, f2 float64, on2 bool, x2, y2 string) {
		k1 := fuzzKey{a1, b1, n1, f1, on1, [2]string{x1, y1}}
		k2 := fuzzKey{a2, b2, n2, f2, on2, [2]string{x2, y2}}
		e1, e2 := enc(k1), enc(k2)
		if k1 == k2 && e1 != e2 {
			t.Fatalf("equal keys encode differently: %q, %q", e1, e2)
		}
		if k1 != k2 && e1 == e2 && f1 == f1 && f2 == f2 { // NaN is never equal to itself
			t.Fatalf("%+v and %+v collide as %q", k1, k2, e1)
		}
	})
}

func TestKeyEncodings(t *testing.T) {
	type sector string
	type nested struct {
		S  sector
		At time.Time
		C  complex128
		U  uint8
	}
	named, err := keyFunc[sector](nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := named("Energy"); got != "Energy" {
		t.Fatalf("named string: %q", got)
	}
	n, err := keyFunc[nested](nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	if got, want := n(nested{"E", at, complex(1, math.Copysign(0, -1)), 7}), "{1:E"+"1767323045000000006;"+"1,0;"+"7;}"; got != want {
		t.Fatalf("nested: %q, want %q", got, want)
	}
	type private struct {
		at time.Time //lint:ignore U1000 read through reflection only
	}
	if _, err := keyFunc[private](nil); err == nil {
		t.Fatal("an unexported time.Time field cannot be read and must be refused")
	}
	type withChan struct{ C chan int }
	if _, err := keyFunc[withChan](nil); err == nil {
		t.Fatal("a channel has no stable encoding and must be refused")
	}
	type withAny struct{ V any }
	if _, err := keyFunc[withAny](nil); err == nil {
		t.Fatal("an interface field has no stable encoding and must be refused")
	}
}
