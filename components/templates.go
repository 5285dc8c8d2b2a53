package components

import (
	"bytes"
	"embed"
	"html/template"
)

//go:embed templates/*.html
var templateFS embed.FS

// templates is parsed once and never changed: html/template escapes every
// value by its context (text, attribute, URL), which is what makes the
// components safe for any data.
var templates = template.Must(template.ParseFS(templateFS, "templates/*.html"))

func execute(name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}
