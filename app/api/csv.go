package api

import (
	"encoding/csv"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// csvRows is a response that can also be served as CSV (?format=csv): the rows are its items.
type csvRows interface{ rows() any }

func (l listView[T]) rows() any       { return l.Items }
func (v supplyHistoryView) rows() any { return v.Days }

// writeCSV writes rows (a slice of structs) as CSV: one column per JSON field, nested structs
// flattened as "outer.inner", slices left out, null pointers empty. The columns come from the
// element type, so an empty list still has its header.
func writeCSV(w http.ResponseWriter, rows any) error {
	v := reflect.ValueOf(rows)
	var header []string
	columns(v.Type().Elem(), "", &header)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	cw.Write(header)
	for i := 0; i < v.Len(); i++ {
		var rec []string
		cells(v.Index(i), &rec)
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// jsonName is a field's JSON name ("" to leave it out).
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}

func columns(t reflect.Type, prefix string, out *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := jsonName(f)
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case name == "" || ft.Kind() == reflect.Slice || ft.Kind() == reflect.Map || ft.Kind() == reflect.Interface:
		case ft.Kind() == reflect.Struct:
			columns(ft, prefix+name+".", out)
		default:
			*out = append(*out, prefix+name)
		}
	}
}

func cells(v reflect.Value, out *[]string) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := jsonName(f)
		fv := v.Field(i)
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case name == "" || ft.Kind() == reflect.Slice || ft.Kind() == reflect.Map || ft.Kind() == reflect.Interface:
		case ft.Kind() == reflect.Struct:
			if fv.Kind() == reflect.Pointer && fv.IsNil() {
				var blank []string
				columns(ft, "", &blank)
				*out = append(*out, make([]string, len(blank))...)
				continue
			}
			cells(reflect.Indirect(fv), out)
		default:
			*out = append(*out, cell(reflect.Indirect(fv)))
		}
	}
}

// cell writes one scalar as its JSON would show it (times as RFC 3339 through their MarshalJSON).
func cell(v reflect.Value) string {
	if !v.IsValid() {
		return ""
	}
	if t, ok := v.Interface().(jsonTime); ok {
		b, _ := t.MarshalJSON()
		s := strings.Trim(string(b), `"`)
		if s == "null" {
			return ""
		}
		return s
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	}
	return ""
}
