package redisstore

import (
	"bytes"
	"encoding/gob"
	"encoding/json"

	"github.com/vmihailenco/msgpack/v5"
)

// Codec turns entries into bytes for a remote store and back. A value that
// fails to decode (a type changed between deploys, a foreign writer) is a
// miss, not an error.
type Codec interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
}

// JSON returns the default codec: readable in redis-cli, and as portable
// as the value's JSON encoding (it drops unexported fields).
func JSON() Codec { return jsonCodec{} }

// Gob returns a codec that encodes Go values exactly, unexported fields
// aside; Go readers only.
func Gob() Codec { return gobCodec{} }

// Msgpack returns a compact and fast codec, with JSON-like field rules.
func Msgpack() Codec { return msgpackCodec{} }

type jsonCodec struct{}

func (jsonCodec) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (jsonCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

type gobCodec struct{}

func (gobCodec) Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(v)
	return buf.Bytes(), err
}
func (gobCodec) Unmarshal(data []byte, v any) error {
	return gob.NewDecoder(bytes.NewReader(data)).Decode(v)
}

type msgpackCodec struct{}

func (msgpackCodec) Marshal(v any) ([]byte, error)      { return msgpack.Marshal(v) }
func (msgpackCodec) Unmarshal(data []byte, v any) error { return msgpack.Unmarshal(data, v) }

// envelope is an Entry on the wire. Stored travels as Unix nanoseconds so
// every codec round-trips it exactly.
type envelope[V any] struct {
	V V      `json:"v" msgpack:"v"`
	E string `json:"e,omitempty" msgpack:"e,omitempty"`
	T int64  `json:"t" msgpack:"t"`
}
