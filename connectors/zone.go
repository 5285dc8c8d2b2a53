package connectors

import (
	"fmt"
	"time"
)

// clock maps times to bucket slots and back: fixed intervals aligned on the
// Unix epoch in UTC (the zero location), or aligned in a time zone.
//
// In a zone, an interval of whole days is calendar days: a bucket starts at
// local midnight and a DST day is 23 or 25 hours long. A shorter interval
// is absolute (an hour is always 60 minutes), aligned on the zone's
// standard offset, so hourly buckets start on the local hour all year: the
// day clocks go back has 25 of them (the repeated hour twice, each with its
// own offset), the day they go forward 23.
type clock struct {
	interval int64          // nanoseconds
	loc      *time.Location // nil: UTC, epoch-aligned
	days     int64          // > 0: buckets of this many calendar days in loc
	shift    int64          // sub-day intervals in loc: the standard offset, ns
}

const day = 24 * time.Hour

func newClock(interval time.Duration, loc *time.Location) clock {
	c := clock{interval: int64(interval)}
	if loc == nil || loc == time.UTC {
		return c
	}
	c.loc = loc
	if interval%day == 0 {
		c.days = int64(interval / day)
		return c
	}
	c.shift = int64(standardOffset(loc)) * int64(time.Second)
	return c
}

// standardOffset is loc's offset without daylight saving time: the smaller
// of its January and July offsets (DST moves clocks forward).
func standardOffset(loc *time.Location) int {
	y := time.Now().Year()
	_, jan := time.Date(y, time.January, 1, 0, 0, 0, 0, loc).Zone()
	_, jul := time.Date(y, time.July, 1, 0, 0, 0, 0, loc).Zone()
	return min(jan, jul)
}

// slot is the index of t's bucket.
func (c clock) slot(t time.Time) int64 {
	switch {
	case c.loc == nil:
		return floorDiv(t.UnixNano(), c.interval)
	case c.days > 0:
		y, m, d := t.In(c.loc).Date()
		return floorDiv(civilDay(y, m, d), c.days)
	}
	return floorDiv(t.UnixNano()+c.shift, c.interval)
}

// start is when bucket slot begins, in the clock's location.
func (c clock) start(slot int64) time.Time {
	switch {
	case c.loc == nil:
		return time.Unix(0, slot*c.interval).UTC()
	case c.days > 0:
		y, m, d := time.Unix(slot*c.days*int64(day/time.Second), 0).UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, c.loc)
	}
	return time.Unix(0, slot*c.interval-c.shift).In(c.loc)
}

func (c clock) String() string {
	if c.loc == nil {
		return time.Duration(c.interval).String()
	}
	return fmt.Sprintf("%s in %s", time.Duration(c.interval), c.loc)
}

// civilDay is the number of days from 1970-01-01 to y-m-d.
func civilDay(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / int64(day/time.Second)
}
