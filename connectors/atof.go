package connectors

import "strconv"

// exactPow10 are the powers of ten a float64 holds exactly (10^0 to 10^22).
// Read-only.
var exactPow10 = [...]float64{
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
}

// parseFloat64 is strconv.ParseFloat(b, 64), bit for bit and error for
// error, with a fast path for the plain decimals a CSV file holds.
func parseFloat64(b []byte) (float64, error) {
	if v, ok := fastFloat64(b); ok {
		return v, nil
	}
	return strconv.ParseFloat(str(b), 64)
}

// fastFloat64 parses [-+]?digits[.digits]([eE][-+]?digits)? with at most
// 19 digits (leading zeros included) whose mantissa m is at most 2^53 and
// whose decimal exponent e is within ±22: m and 10^|e| are then exact
// float64s, and one correctly rounded multiplication or division gives the
// correctly rounded result (Clinger's fast path, which strconv takes too),
// so the value is the one strconv.ParseFloat returns. ok is false for
// anything else — more digits, a larger exponent, NaN or Inf spellings,
// underscores, hex, bad syntax — and strconv then decides, errors included.
func fastFloat64(b []byte) (f float64, ok bool) {
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg, i = b[0] == '-', 1
	}
	var mant uint64
	from := i
	for ; i < len(b) && b[i]-'0' < 10; i++ {
		mant = mant*10 + uint64(b[i]-'0')
	}
	digits, exp := i-from, 0
	if i < len(b) && b[i] == '.' {
		i++
		from = i
		for ; i < len(b) && b[i]-'0' < 10; i++ {
			mant = mant*10 + uint64(b[i]-'0')
		}
		exp = from - i
		digits -= exp
	}
	if digits == 0 || digits > 19 {
		return 0, false // no digits; or more than a uint64 holds
	}
	if i < len(b) {
		e, ok := exponent(b[i:])
		if !ok {
			return 0, false
		}
		exp += e
	}
	if mant > 1<<53 || exp < -22 || exp > 22 {
		return 0, false
	}
	f = float64(mant)
	if exp > 0 {
		f *= exactPow10[exp]
	} else if exp < 0 {
		f /= exactPow10[-exp]
	}
	if neg {
		f = -f
	}
	return f, true
}

// exponent parses [eE][-+]?digits, all of b; ok is false for anything
// else, or for an exponent too large for the fast path to take.
func exponent(b []byte) (e int, ok bool) {
	if len(b) < 2 || (b[0] != 'e' && b[0] != 'E') {
		return 0, false
	}
	i, neg := 1, false
	if b[1] == '-' || b[1] == '+' {
		neg, i = b[1] == '-', 2
	}
	if i == len(b) || len(b)-i > 4 {
		return 0, false
	}
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d >= 10 {
			return 0, false
		}
		e = e*10 + int(d)
	}
	if neg {
		e = -e
	}
	return e, true
}
