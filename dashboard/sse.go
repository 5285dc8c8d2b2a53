package dashboard

import (
	"bytes"
	"errors"
	"strings"
)

// errSSEField is appendEvent's error for an event name or id that no
// Server-Sent Events frame can carry.
var errSSEField = errors.New("dashboard: an SSE event name or id cannot hold CR or LF, nor an id NUL")

// appendEvent appends one Server-Sent Events frame to b: an id line when
// id is not empty, an event line when name is not empty, one data line per
// line of data (split at CRLF, CR and LF, the line ends an SSE parser
// knows, so that no line of data can end the frame early or start a field
// of its own), and the blank line that dispatches the event.
//
// A conforming parser (the WHATWG HTML standard's) reads the frame back
// as exactly one event, named name ("message" when empty), with id as its
// last event ID and data with its line ends as LF. A JSON value keeps its
// meaning: its line ends can only be whitespace between tokens. A name or
// id holding CR or LF, or an id holding NUL (which parsers ignore), cannot
// be carried: the error is errSSEField and b is returned as it was.
func appendEvent(b []byte, id, name string, data []byte) ([]byte, error) {
	if strings.ContainsAny(id, "\r\n\x00") || strings.ContainsAny(name, "\r\n") {
		return b, errSSEField
	}
	if id != "" {
		b = append(b, "id: "...)
		b = append(b, id...)
		b = append(b, '\n')
	}
	if name != "" {
		b = append(b, "event: "...)
		b = append(b, name...)
		b = append(b, '\n')
	}
	for {
		i := bytes.IndexAny(data, "\r\n")
		if i < 0 {
			break
		}
		b = append(b, "data: "...)
		b = append(b, data[:i]...)
		b = append(b, '\n')
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i++
		}
		data = data[i+1:]
	}
	b = append(b, "data: "...)
	b = append(b, data...)
	return append(b, '\n', '\n'), nil
}

// mustEvent is appendEvent for the frames the package writes with constant
// names; a name it cannot carry is a programmer error.
func mustEvent(b []byte, name string, data []byte) []byte {
	b, err := appendEvent(b, "", name, data)
	if err != nil {
		panic(err)
	}
	return b
}
