package auth

import (
	"cmp"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Errors.
var (
	// ErrConfig is wrapped by every construction error.
	ErrConfig = errors.New("auth: invalid configuration")
	// ErrToken is wrapped by every reason a token is refused; the cause
	// (expired, bad signature, …) is wrapped too, for logs.
	ErrToken = errors.New("auth: invalid token")
	// ErrRevoked is the cause for a token revoked by logout.
	ErrRevoked = errors.New("auth: token revoked")
)

// MinSecretBytes is the shortest HS256 secret accepted.
const MinSecretBytes = 32

// Claims are what a token says about its user.
type Claims struct {
	jwt.RegisteredClaims
	Name  string `json:"name,omitempty"`
	Roles []Role `json:"roles"`
}

// TokenOptions configure [Tokens]. Exactly one of Secret (HS256) or
// PrivateKey/PublicKey (EdDSA with ed25519 keys, RS256 with RSA keys) is
// set.
type TokenOptions struct {
	// Secret signs with HS256; at least 32 bytes.
	Secret []byte
	// PrivateKey signs (ed25519.PrivateKey or *rsa.PrivateKey); PublicKey
	// verifies. A verifier may have only PublicKey.
	PrivateKey crypto.Signer
	PublicKey  crypto.PublicKey
	// Issuer and Audience are set on issued tokens and required on
	// verified ones. Required.
	Issuer, Audience string
	// Lifetime of issued tokens; zero means one hour.
	Lifetime time.Duration
	// Leeway tolerated on exp, nbf and iat for clock skew; zero means 30
	// seconds.
	Leeway time.Duration
	// MaxBytes refuses longer tokens before parsing; zero means 4096.
	MaxBytes int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Tokens issues and verifies JWTs. Verification accepts only the configured
// algorithm, requires exp, and checks nbf and iat (with the leeway), the
// issuer and the audience.
type Tokens struct {
	opts      TokenOptions
	method    jwt.SigningMethod
	signKey   any
	verifyKey any
	parser    *jwt.Parser
}

// NewTokens checks the options and returns a token service.
func NewTokens(opts TokenOptions) (*Tokens, error) {
	if opts.Issuer == "" || opts.Audience == "" {
		return nil, fmt.Errorf("%w: Issuer and Audience are required", ErrConfig)
	}
	if opts.Lifetime < 0 || opts.Leeway < 0 || opts.MaxBytes < 0 {
		return nil, fmt.Errorf("%w: negative Lifetime, Leeway or MaxBytes", ErrConfig)
	}
	opts.Lifetime = cmp.Or(opts.Lifetime, time.Hour)
	opts.Leeway = cmp.Or(opts.Leeway, 30*time.Second)
	opts.MaxBytes = cmp.Or(opts.MaxBytes, 4096)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	t := &Tokens{opts: opts}
	switch {
	case opts.Secret != nil && (opts.PrivateKey != nil || opts.PublicKey != nil):
		return nil, fmt.Errorf("%w: set a Secret or keys, not both", ErrConfig)
	case opts.Secret != nil:
		if len(opts.Secret) < MinSecretBytes {
			return nil, fmt.Errorf("%w: a %d-byte secret is too short: use at least %d", ErrConfig, len(opts.Secret), MinSecretBytes)
		}
		t.method, t.signKey, t.verifyKey = jwt.SigningMethodHS256, opts.Secret, opts.Secret
	default:
		pub := opts.PublicKey
		if pub == nil && opts.PrivateKey != nil {
			pub = opts.PrivateKey.Public()
		}
		switch k := pub.(type) {
		case ed25519.PublicKey:
			t.method, t.verifyKey = jwt.SigningMethodEdDSA, k
		case *rsa.PublicKey:
			if k.N.BitLen() < 2048 {
				return nil, fmt.Errorf("%w: RSA keys need at least 2048 bits", ErrConfig)
			}
			t.method, t.verifyKey = jwt.SigningMethodRS256, k
		case nil:
			return nil, fmt.Errorf("%w: no Secret and no keys", ErrConfig)
		default:
			return nil, fmt.Errorf("%w: unsupported key type %T (want ed25519 or RSA)", ErrConfig, pub)
		}
		if opts.PrivateKey != nil {
			t.signKey = opts.PrivateKey
		}
	}
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{t.method.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(opts.Leeway),
		jwt.WithIssuer(opts.Issuer),
		jwt.WithAudience(opts.Audience),
		jwt.WithTimeFunc(opts.Now),
		jwt.WithStrictDecoding(),
	)
	return t, nil
}

// Issue signs a token for the user, valid from now for the lifetime, with
// a random ID (jti) so it can be revoked.
func (t *Tokens) Issue(subject, name string, roles []Role) (string, *Claims, error) {
	if t.signKey == nil {
		return "", nil, fmt.Errorf("%w: this service only verifies (no private key)", ErrConfig)
	}
	if subject == "" {
		return "", nil, fmt.Errorf("%w: empty subject", ErrConfig)
	}
	now := t.opts.Now()
	c := &Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.opts.Issuer,
			Subject:   subject,
			Audience:  jwt.ClaimStrings{t.opts.Audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(t.opts.Lifetime)),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        rand.Text(),
		},
		Name:  name,
		Roles: roles,
	}
	s, err := jwt.NewWithClaims(t.method, c).SignedString(t.signKey)
	if err != nil {
		return "", nil, fmt.Errorf("auth: sign: %w", err)
	}
	return s, c, nil
}

// Verify parses and checks a token: size, algorithm, signature, exp
// (required), nbf and iat with the leeway, issuer, audience, and a token ID.
// Every refusal wraps [ErrToken].
func (t *Tokens) Verify(token string) (*Claims, error) {
	if len(token) > t.opts.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrToken, len(token), t.opts.MaxBytes)
	}
	c := &Claims{}
	_, err := t.parser.ParseWithClaims(token, c, func(*jwt.Token) (any, error) { return t.verifyKey, nil })
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrToken, err)
	}
	if c.ID == "" || c.Subject == "" {
		return nil, fmt.Errorf("%w: no token ID or subject", ErrToken)
	}
	return c, nil
}
