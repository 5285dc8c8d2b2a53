package cache

import (
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// keyFunc returns the function that turns a K into the key's tail, after the
// namespace and version prefix. The encoding is stable across processes and
// collision-free for the types it accepts: strings as they are (they are the
// whole tail), numbers and booleans in canonical decimal form, and structs and
// arrays field by field with every string length-prefixed. Pointers, maps,
// channels, funcs and interfaces are refused: their identity is not stable
// across processes, so a key function must say what they mean.
func keyFunc[K comparable](custom func(K) string) (func(K) string, error) {
	if custom != nil {
		return custom, nil
	}
	var zero K
	if _, ok := any(zero).(string); ok {
		// The common case costs no reflection per call.
		return func(k K) string { return any(k).(string) }, nil
	}
	t := reflect.TypeFor[K]()
	if t.Kind() == reflect.String {
		return func(k K) string { return reflect.ValueOf(k).String() }, nil
	}
	enc, err := encoderFor(t)
	if err != nil {
		return nil, err
	}
	return func(k K) string {
		return string(enc(nil, reflect.ValueOf(k)))
	}, nil
}

type encoder func(b []byte, v reflect.Value) []byte

var timeType = reflect.TypeFor[time.Time]()

func encoderFor(t reflect.Type) (encoder, error) {
	if t == timeType {
		// An instant, whatever its location: equal instants share a key.
		return func(b []byte, v reflect.Value) []byte {
			tm := v.Interface().(time.Time)
			return append(strconv.AppendInt(b, tm.UnixNano(), 10), ';')
		}, nil
	}
	switch t.Kind() {
	case reflect.String:
		return func(b []byte, v reflect.Value) []byte {
			s := v.String()
			b = strconv.AppendInt(b, int64(len(s)), 10)
			b = append(b, ':')
			return append(b, s...)
		}, nil
	case reflect.Bool:
		return func(b []byte, v reflect.Value) []byte {
			if v.Bool() {
				return append(b, 't')
			}
			return append(b, 'f')
		}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(b []byte, v reflect.Value) []byte {
			return append(strconv.AppendInt(b, v.Int(), 10), ';')
		}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(b []byte, v reflect.Value) []byte {
			return append(strconv.AppendUint(b, v.Uint(), 10), ';')
		}, nil
	case reflect.Float32, reflect.Float64:
		bits := t.Bits()
		return func(b []byte, v reflect.Value) []byte {
			f := v.Float()
			if f == 0 {
				f = 0 // -0 == 0, so they share a key
			}
			return append(strconv.AppendFloat(b, f, 'g', -1, bits), ';')
		}, nil
	case reflect.Complex64, reflect.Complex128:
		return func(b []byte, v reflect.Value) []byte {
			c := v.Complex()
			re, im := real(c), imag(c)
			if re == 0 {
				re = 0
			}
			if im == 0 {
				im = 0
			}
			b = append(strconv.AppendFloat(b, re, 'g', -1, 64), ',')
			return append(strconv.AppendFloat(b, im, 'g', -1, 64), ';')
		}, nil
	case reflect.Array:
		return arrayEncoder(t)
	case reflect.Struct:
		return structEncoder(t)
	}
	return nil, fmt.Errorf("%s (kind %s) has no stable encoding; set Options.Key", t, t.Kind())
}

// arrayEncoder encodes an array element by element.
func arrayEncoder(t reflect.Type) (encoder, error) {
	elem, err := encoderFor(t.Elem())
	if err != nil {
		return nil, fmt.Errorf("array of %w", err)
	}
	return func(b []byte, v reflect.Value) []byte {
		for i := range v.Len() {
			b = elem(b, v.Index(i))
		}
		return b
	}, nil
}

// structEncoder encodes a struct field by field, in braces.
func structEncoder(t reflect.Type) (encoder, error) {
	fields := make([]encoder, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type == timeType && !f.IsExported() {
			return nil, fmt.Errorf("unexported time.Time field %s.%s cannot be read; set Options.Key", t, f.Name)
		}
		enc, err := encoderFor(f.Type)
		if err != nil {
			return nil, fmt.Errorf("field %s.%s: %w", t, f.Name, err)
		}
		fields[i] = enc
	}
	return func(b []byte, v reflect.Value) []byte {
		b = append(b, '{')
		for i, enc := range fields {
			b = enc(b, v.Field(i))
		}
		return append(b, '}')
	}, nil
}

// validName reports whether s may be a namespace or version: letters,
// digits, '.', '_' and '-'. No ':' keeps the prefix unambiguous.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}
