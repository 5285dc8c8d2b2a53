package connectors

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// Category is a string with few distinct values (a device, a region): the
// decoder interns it, so a chunk of a million rows holds each value once.
type Category string

// MissingPolicy says what an empty, NaN or infinite number does.
type MissingPolicy int

// The policies. The zero value is MissingError.
const (
	// MissingError fails (or, with SkipBadRows, skips) the row, naming the
	// field.
	MissingError MissingPolicy = iota
	// MissingDrop drops the row silently, and counts it.
	MissingDrop
	// MissingKeep keeps the row: a float holds NaN; an empty integer,
	// bool, time or string is its zero value.
	MissingKeep
)

// field decodes one column into one struct field at a fixed offset.
type field struct {
	name    string
	column  int
	offset  uintptr
	set     func(p unsafe.Pointer, b []byte) error
	float   bool // a float: a kept missing value is NaN
	float32 bool
	float64 bool // a float64: decode tries fastFloat64 before set
}

var errMissing = ErrMissing

// binder maps a struct type's csv-tagged fields to setters.
type binder struct {
	fields []field
	byName map[string]int // tag name → index in fields
}

// bindType reads T's `csv:"name[,layout=…]"` tags. Fields without a tag are
// ignored; a tagged field of an unsupported type is an error.
func bindType[T any](intern *interner) (*binder, error) {
	fields, err := taggedFields[T]("csv")
	if err != nil {
		return nil, err
	}
	b := &binder{byName: make(map[string]int)}
	for _, tf := range fields {
		sf := tf.StructField
		name, opts, _ := strings.Cut(tf.tag, ",")
		layout := time.RFC3339
		if l, ok := strings.CutPrefix(opts, "layout="); ok {
			layout = l
		}
		f := field{name: name, offset: sf.Offset, column: -1}
		set, err := setterFor(sf.Type, layout, intern)
		if err != nil {
			return nil, fmt.Errorf("%w: field %s: %w", ErrSchema, sf.Name, err)
		}
		f.set = set
		f.float = sf.Type.Kind() == reflect.Float64 || sf.Type.Kind() == reflect.Float32
		f.float32 = sf.Type.Kind() == reflect.Float32
		f.float64 = sf.Type.Kind() == reflect.Float64
		if _, dup := b.byName[name]; dup {
			return nil, fmt.Errorf("%w: two fields read column %q", ErrSchema, name)
		}
		b.byName[name] = len(b.fields)
		b.fields = append(b.fields, f)
	}
	return b, nil
}

// taggedField is a struct field with its tag value for one key.
type taggedField struct {
	reflect.StructField
	tag string
}

// taggedFields lists T's fields tagged with key (a tag "-" skips the
// field). It is an error for T not to be a struct, for a tagged field not
// to be exported, and for no field to be tagged.
func taggedFields[T any](key string) ([]taggedField, error) {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: %s is not a struct", ErrSchema, t)
	}
	var out []taggedField
	for sf := range t.Fields() {
		tag, ok := sf.Tag.Lookup(key)
		if !ok || tag == "-" {
			continue
		}
		if !sf.IsExported() {
			return nil, fmt.Errorf("%w: field %s is not exported", ErrSchema, sf.Name)
		}
		out = append(out, taggedField{sf, tag})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %s has no %s-tagged fields", ErrSchema, t, key)
	}
	return out, nil
}

// bindHeader resolves each field's column once, by header name.
func (b *binder) bindHeader(header [][]byte) error {
	seen := make(map[string]bool, len(header))
	for col, h := range header {
		name := strings.TrimSpace(string(h))
		seen[name] = true
		if i, ok := b.byName[name]; ok {
			b.fields[i].column = col
		}
	}
	for _, f := range b.fields {
		if f.column < 0 {
			return fmt.Errorf("%w: no column %q in the header", ErrSchema, f.name)
		}
	}
	return nil
}

func str(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func setterFor(t reflect.Type, layout string, intern *interner) (func(unsafe.Pointer, []byte) error, error) {
	if t == reflect.TypeFor[time.Time]() {
		if layout == "2006-01-02" {
			return func(p unsafe.Pointer, b []byte) error {
				tm, err := parseDate(b)
				*(*time.Time)(p) = tm
				return err
			}, nil
		}
		return func(p unsafe.Pointer, b []byte) error {
			if layout == time.RFC3339 {
				if tm, ok := parseRFC3339UTC(b); ok {
					*(*time.Time)(p) = tm
					return nil
				}
			}
			tm, err := time.Parse(layout, str(b))
			*(*time.Time)(p) = tm
			return err
		}, nil
	}
	if t == reflect.TypeFor[Category]() {
		return func(p unsafe.Pointer, b []byte) error {
			*(*Category)(p) = Category(intern.get(b))
			return nil
		}, nil
	}
	switch t.Kind() {
	case reflect.Float64:
		return func(p unsafe.Pointer, b []byte) error {
			v, err := parseFloat64(b)
			*(*float64)(p) = v
			if err == nil && v-v == 0 { // finite (NaN and ±Inf give NaN)
				return nil
			}
			return numErr(v, err)
		}, nil
	case reflect.Float32:
		return func(p unsafe.Pointer, b []byte) error {
			v, err := strconv.ParseFloat(str(b), 32)
			*(*float32)(p) = float32(v)
			return numErr(v, err)
		}, nil
	case reflect.Int:
		return func(p unsafe.Pointer, b []byte) error {
			v, err := strconv.ParseInt(str(b), 10, strconv.IntSize)
			*(*int)(p) = int(v)
			return err
		}, nil
	case reflect.Int64:
		return func(p unsafe.Pointer, b []byte) error {
			v, err := strconv.ParseInt(str(b), 10, 64)
			*(*int64)(p) = v
			return err
		}, nil
	case reflect.Int32:
		return func(p unsafe.Pointer, b []byte) error {
			v, err := strconv.ParseInt(str(b), 10, 32)
			*(*int32)(p) = int32(v)
			return err
		}, nil
	case reflect.Bool:
		return func(p unsafe.Pointer, b []byte) error {
			v, err := strconv.ParseBool(str(b))
			*(*bool)(p) = v
			return err
		}, nil
	case reflect.String:
		return func(p unsafe.Pointer, b []byte) error {
			*(*string)(p) = string(b)
			return nil
		}, nil
	}
	return nil, fmt.Errorf("unsupported type %s", t)
}

// numErr turns a parsed NaN or infinity (1e400 overflows to +Inf) into
// ErrMissing, for the missing policy to decide.
func numErr(v float64, err error) error {
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return errMissing // 1e400: out of range is infinite
		}
		return err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return errMissing
	}
	return nil
}

// parseRFC3339UTC parses the common "2006-01-02T15:04:05Z" form without
// allocating; ok is false for any other form (time.Parse then decides).
func parseRFC3339UTC(b []byte) (time.Time, bool) {
	if len(b) != 20 || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[19] != 'Z' {
		return time.Time{}, false
	}
	days, ok := civilDays(b[:10])
	if !ok {
		return time.Time{}, false
	}
	h, ok1 := digits2(b[11:13])
	m, ok2 := digits2(b[14:16])
	sec, ok3 := digits2(b[17:19])
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || sec > 59 {
		return time.Time{}, false
	}
	return time.Unix(days*86400+int64(h*3600+m*60+sec), 0).UTC(), true
}

// parseDate parses YYYY-MM-DD without allocating; a day past the end of
// its month (2023-02-31) is an error, as in time.Parse.
func parseDate(b []byte) (time.Time, error) {
	days, ok := civilDays(b)
	if !ok {
		if len(b) == 10 && b[4] == '-' && b[7] == '-' {
			if _, m, d, ok := ymd(b); ok && m >= 1 && m <= 12 && d >= 1 && d <= 31 {
				return time.Time{}, fmt.Errorf("%q is not a date: %s has no day %d", b, time.Month(m), d)
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", b)
	}
	return time.Unix(days*86400, 0).UTC(), nil
}

// civilDays is the number of days from 1970-01-01 to the valid date
// YYYY-MM-DD in b (proleptic Gregorian, as time.Date counts them); ok is
// false for anything else, 2023-02-31 included.
func civilDays(b []byte) (int64, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	y, m, d, ok := ymd(b)
	if !ok || m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return 0, false
	}
	// Howard Hinnant's days_from_civil, on years shifted by 400 (one
	// 146,097-day era) so that year 0's January stays non-negative.
	y += 400
	if m <= 2 {
		y--
	}
	era, yoe := y/400, y%400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era-1)*146097 + int64(doe) - 719468, true
}

// ymd reads the digits of YYYY-MM-DD; ok is false if any is not a digit.
func ymd(b []byte) (y, m, d int, ok bool) {
	y1, ok1 := digits2(b[0:2])
	y2, ok2 := digits2(b[2:4])
	m, ok3 := digits2(b[5:7])
	d, ok4 := digits2(b[8:10])
	return y1*100 + y2, m, d, ok1 && ok2 && ok3 && ok4
}

// digits2 reads two decimal digits.
func digits2(s []byte) (int, bool) {
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

// daysIn is the length of month m of year y.
func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// interner shares one string per distinct category value. Each reader has
// its own, so it needs no lock.
type interner struct {
	m map[string]string
}

func (in *interner) get(b []byte) string {
	if s, ok := in.m[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	in.m[s] = s
	return s
}
