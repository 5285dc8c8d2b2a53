package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

var (
	secret = []byte("0123456789abcdef0123456789abcdef")
	t0     = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
)

func newTokens(t testing.TB, now *time.Time) *Tokens {
	t.Helper()
	tok, err := NewTokens(TokenOptions{Secret: secret, Issuer: "dashkit", Audience: "dashboards", Leeway: 30 * time.Second, Now: func() time.Time { return *now }})
	require.NoError(t, err)
	return tok
}

// sign makes a token with arbitrary claims and method, as an attacker would.
func sign(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	require.NoError(t, err)
	return s
}

func good(now time.Time) jwt.MapClaims {
	return jwt.MapClaims{"iss": "dashkit", "aud": "dashboards", "sub": "ana", "jti": "abc", "roles": []string{"admin"},
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

func with(c jwt.MapClaims, k string, v any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for kk, vv := range c {
		out[kk] = vv
	}
	if v == nil {
		delete(out, k)
	} else {
		out[k] = v
	}
	return out
}

func TestBadTokensAreRefused(t *testing.T) {
	now := t0
	tok := newTokens(t, &now)
	valid := sign(t, jwt.SigningMethodHS256, secret, good(now))
	parts := strings.Split(valid, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"dashkit","aud":"dashboards","sub":"eve","jti":"x","roles":["admin"],"exp":9999999999}`)) + "." + parts[2]
	none := sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good(now))
	for _, tc := range []struct{ name, token string }{
		{"alg none", none},
		{"HS512 where HS256 is expected", sign(t, jwt.SigningMethodHS512, secret, good(now))},
		{"wrong key", sign(t, jwt.SigningMethodHS256, []byte("another-secret-another-secret-32b"), good(now))},
		{"expired by leeway + 1 s", sign(t, jwt.SigningMethodHS256, secret, with(good(now), "exp", now.Add(-31*time.Second).Unix()))},
		{"not valid yet", sign(t, jwt.SigningMethodHS256, secret, with(good(now), "nbf", now.Add(10*time.Minute).Unix()))},
		{"issued in the future", sign(t, jwt.SigningMethodHS256, secret, with(good(now), "iat", now.Add(10*time.Minute).Unix()))},
		{"wrong issuer", sign(t, jwt.SigningMethodHS256, secret, with(good(now), "iss", "evil"))},
		{"wrong audience", sign(t, jwt.SigningMethodHS256, secret, with(good(now), "aud", "other"))},
		{"no exp", sign(t, jwt.SigningMethodHS256, secret, with(good(now), "exp", nil))},
		{"no jti", sign(t, jwt.SigningMethodHS256, secret, with(good(now), "jti", nil))},
		{"1 MB of dots", strings.Repeat(".", 1<<20)},
		{"tampered payload", tampered},
		{"garbage", "not-a-token"},
		{"empty", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tok.Verify(tc.token)
			require.ErrorIs(t, err, ErrToken)
		})
	}
	// Within the leeway, and a fresh one, pass.
	c, err := tok.Verify(sign(t, jwt.SigningMethodHS256, secret, with(good(now), "exp", now.Add(-29*time.Second).Unix())))
	require.NoError(t, err)
	require.Equal(t, "ana", c.Subject)
	c, err = tok.Verify(valid)
	require.NoError(t, err)
	require.Equal(t, []Role{Admin}, c.Roles)
}

func TestIssueAndVerify(t *testing.T) {
	now := t0
	tok := newTokens(t, &now)
	s, c, err := tok.Issue("u1", "Ana", []Role{Analyst})
	require.NoError(t, err)
	require.Equal(t, now.Add(time.Hour), c.ExpiresAt.Time, "default lifetime: one hour")
	require.NotEmpty(t, c.ID)
	got, err := tok.Verify(s)
	require.NoError(t, err)
	require.Equal(t, "Ana", got.Name)
	now = now.Add(time.Hour + 31*time.Second)
	_, err = tok.Verify(s)
	require.ErrorIs(t, err, ErrToken, "expired")
}

func TestEdDSATokens(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	signer, err := NewTokens(TokenOptions{PrivateKey: priv, Issuer: "i", Audience: "a"})
	require.NoError(t, err)
	verifier, err := NewTokens(TokenOptions{PublicKey: pub, Issuer: "i", Audience: "a"})
	require.NoError(t, err)
	s, _, err := signer.Issue("u", "", []Role{Viewer})
	require.NoError(t, err)
	_, err = verifier.Verify(s)
	require.NoError(t, err)
	_, _, err = verifier.Issue("u", "", nil)
	require.ErrorIs(t, err, ErrConfig, "a verifier cannot issue")
	// An HS256 token signed with the public key bytes (key confusion) is
	// refused: only EdDSA is allowed.
	_, err = verifier.Verify(sign(t, jwt.SigningMethodHS256, []byte(pub), good(time.Now())))
	require.ErrorIs(t, err, ErrToken)
}

func TestNewTokensRejectsWeakConfig(t *testing.T) {
	for _, opts := range []TokenOptions{
		{Secret: []byte("development-key"), Issuer: "i", Audience: "a"},
		{Secret: secret},
		{Issuer: "i", Audience: "a"},
		{Secret: secret, Issuer: "i", Audience: "a", Leeway: -1},
	} {
		_, err := NewTokens(opts)
		require.ErrorIs(t, err, ErrConfig)
	}
}

// FuzzVerify: no input panics, and nothing verifies that this service did
// not sign.
func FuzzVerify(f *testing.F) {
	now := t0
	tok := newTokens(f, &now)
	// A fixed token (not Issue, whose ID is random): fuzz workers run this
	// function again and must get the same seed.
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, good(now)).SignedString(secret)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := tok.Verify(s); err != nil {
		f.Fatal(err)
	}
	f.Add(s)
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
	f.Add(strings.Repeat("a.", 3000))
	f.Fuzz(func(t *testing.T, token string) {
		c, err := tok.Verify(token)
		if err == nil && token != s {
			// Only the issued token verifies; a different encoding of it
			// (strict decoding refuses padding) would be a bug.
			t.Fatalf("an unsigned token verified: %q → %+v", token, c)
		}
	})
}
