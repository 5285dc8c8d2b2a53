package dashboard

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// sseEvent is one event a conforming parser dispatched.
type sseEvent struct {
	Type, Data, LastID string
}

// parseSSE is the event stream interpretation of the WHATWG HTML standard
// (§9.2.6), written from the text rather than from our encoder: lines end
// at CRLF, LF or CR; a blank line dispatches; ':' starts a comment; a
// field's value loses one leading space; data lines are joined with LF;
// an id holding NUL is ignored; an event with an empty data buffer is not
// dispatched; a trailing event without its blank line is discarded. The
// stream is bytes: CR and LF never occur inside a UTF-8 sequence, so
// splitting before decoding is the same as after.
func parseSSE(stream []byte) []sseEvent {
	var (
		events      []sseEvent
		data, typ   strings.Builder
		lastIDValue string
	)
	for len(stream) > 0 {
		i := bytes.IndexAny(stream, "\r\n")
		if i < 0 {
			break // no line end: the last line is incomplete, discarded
		}
		line := string(stream[:i])
		if stream[i] == '\r' && i+1 < len(stream) && stream[i+1] == '\n' {
			i++
		}
		stream = stream[i+1:]
		if line == "" {
			if data.Len() == 0 {
				typ.Reset()
				continue
			}
			d := strings.TrimSuffix(data.String(), "\n")
			t := typ.String()
			if t == "" {
				t = "message"
			}
			events = append(events, sseEvent{Type: t, Data: d, LastID: lastIDValue})
			data.Reset()
			typ.Reset()
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			typ.Reset()
			typ.WriteString(value)
		case "data":
			data.WriteString(value)
			data.WriteByte('\n')
		case "id":
			if !strings.ContainsRune(value, 0) {
				lastIDValue = value
			}
		}
	}
	return events
}

// lf is s with its line ends (CRLF, CR, LF) as LF: what an SSE parser
// gives back of multi-line data.
func lf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

func TestParseSSEFollowsTheStandard(t *testing.T) {
	// The examples of the standard, and its corner cases.
	require.Equal(t, []sseEvent{{"message", "YHOO\n+2\n10", ""}},
		parseSSE([]byte("data: YHOO\ndata: +2\ndata: 10\n\n")))
	require.Equal(t, []sseEvent{{"message", "first event", "1"}, {"message", "second event", ""}, {"message", " third event", ""}},
		parseSSE([]byte(": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n")))
	require.Equal(t, []sseEvent{{"message", "", ""}, {"message", "\n", ""}},
		parseSSE([]byte("data\n\ndata\ndata\n\ndata:\n")))
	require.Equal(t, []sseEvent{{"add", "a", "x"}}, parseSSE([]byte("event: add\r\nid: x\rdata: a\r\n\r\nid: y\x00\n")))
}

// FuzzSSEEncoder: any event appendEvent accepts reads back, through a
// conforming parser, as exactly one event with its name, id and data (line
// ends as LF), also after another frame; it refuses a name or id only
// when no frame could carry it (CR or LF; NUL in an id).
func FuzzSSEEncoder(f *testing.F) {
	f.Add("", "update", []byte(`{"panel":"a","html":"<b>x</b>"}`))
	f.Add("3.0.12", "session", []byte(`{"state":"ended"}`))
	f.Add("", "", []byte(""))
	f.Add("1", "x", []byte("a\r\nb\rc\nd\n"))
	f.Add("", "update", []byte("{\"a\":\r\n 1}"))
	f.Add(" id", " name", []byte(" lead\n\nblank"))
	f.Add("a\x00b", "e", []byte("data: nested\n\n"))
	f.Add("x", "a\nb", []byte(":comment"))
	f.Fuzz(func(t *testing.T, id, name string, data []byte) {
		frame, err := appendEvent(nil, id, name, data)
		if err != nil {
			if !strings.ContainsAny(id, "\r\n\x00") && !strings.ContainsAny(name, "\r\n") {
				t.Fatalf("id %q, name %q refused: %v", id, name, err)
			}
			return
		}
		want := sseEvent{Type: name, Data: lf(string(data)), LastID: id}
		if want.Type == "" {
			want.Type = "message"
		}
		got := parseSSE(frame)
		if len(got) != 1 || got[0] != want {
			t.Fatalf("frame %q reads back as %q, want one %q", frame, got, want)
		}
		// After the stream's preamble and another frame, still exactly
		// this event: nothing bleeds from one frame into the next.
		stream := append([]byte("retry: 2000\n\n"), sessionEnded...)
		got = parseSSE(append(stream, frame...))
		if len(got) != 2 || got[1] != want {
			t.Fatalf("frame %q after another reads back as %q", frame, got)
		}
	})
}

// FuzzStreamFrame: what an event stream writes for an update — the
// stream's id line (client.accept) and the update's frame (newEvent, for
// an update computed here or forwarded from another replica through a
// Broker) — reads back as exactly one "update" event whose data is the
// update and whose id is the stream's position.
func FuzzStreamFrame(f *testing.F) {
	f.Add([]byte(`{"panel":"a"}`), int64(1), int64(0))
	f.Add([]byte("{\"a\":\n1}"), int64(29000001), int64(7))
	f.Add([]byte("[1,\r2]"), int64(1), int64(1<<62))
	f.Add([]byte(""), int64(5), int64(0))
	f.Fuzz(func(t *testing.T, update []byte, e1, e2 int64) {
		if e1 <= 0 || e2 < 0 {
			return // epochs are positive; 0 is "no update yet"
		}
		t1, t2 := &topic{key: "a"}, &topic{key: "b"}
		c := &client{topics: []*topic{t1, t2}, pos: []int64{0, e2}}
		ev := newEvent(t1, e1, "h", update)
		id, ok := c.accept(ev)
		require.True(t, ok)
		got := parseSSE(append(append([]byte{}, id...), ev.frame...))
		if len(got) != 1 || got[0].Type != "update" || got[0].Data != lf(string(update)) {
			t.Fatalf("update %q reads back as %q", update, got)
		}
		require.Equal(t, []int64{e1, e2}, parseStreamID(got[0].LastID, 2), "the id is the stream's position")
	})
}
