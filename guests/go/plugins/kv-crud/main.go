//go:build wasip1

// Command kv-crud is a tiny CRUD resource kept in the host's key-value store: POST on the
// collection creates an item (a JSON object, given the next id), GET lists the items, GET and
// DELETE on `<collection>/{id}` read and remove one (see README.md).
package main

import (
	"strconv"

	"mockforge.dev/component/mockforge"
	"mockforge.dev/guest/strictjson"
)

func main() {}

func init() { mockforge.RegisterResponder(crud{}) }

const (
	defaultCollection = "/items"
	nextIDKey         = "next-id"
	listLimit         = 1000
)

type crud struct{}

func (crud) Respond(req *mockforge.Request) (*mockforge.Response, error) {
	collection, ok := mockforge.Config("collection")
	if !ok {
		collection = defaultCollection
	}
	route, ok := req.Route()
	if !ok {
		return nil, nil
	}
	method := req.Method()
	switch route {
	case collection:
		switch method {
		case "POST":
			return create(req, collection)
		case "GET":
			return list(), nil
		}
	case collection + "/{id}":
		id, _ := req.PathParam("id")
		switch method {
		case "GET":
			return read(id), nil
		case "DELETE":
			return remove(id), nil
		}
	}
	return nil, nil
}

func create(req *mockforge.Request, collection string) (*mockforge.Response, error) {
	object, err := strictjson.ParseObject(req.Body())
	if err != nil {
		return jsonResponse(400, errorBody("body must be a JSON object")), nil
	}
	number, err := mockforge.KVIncrement(nextIDKey, 1)
	if err != nil {
		return nil, mockforge.Internal("the item counter: %v", err)
	}
	id := strconv.FormatInt(number, 10)
	key, ok := parseID(id)
	if !ok {
		return nil, mockforge.Internal("the item counter gave %s", id)
	}
	item := withID(object, id)
	if err := mockforge.KVSet(itemKey(key), item, 0); err != nil {
		return nil, mockforge.Internal("storing the item: %v", err)
	}
	resp := jsonResponse(201, item)
	resp.Headers = append(resp.Headers, mockforge.Header{Name: "location", Value: collection + "/" + id})
	return resp, nil
}

func list() *mockforge.Response {
	body := []byte{'['}
	for _, key := range mockforge.KVKeys(itemPrefix, listLimit) {
		item, ok := mockforge.KVGet(key)
		if !ok {
			continue
		}
		if len(body) > 1 {
			body = append(body, ',')
		}
		body = append(body, item...)
	}
	return jsonResponse(200, append(body, ']'))
}

func read(id string) *mockforge.Response {
	if key, ok := parseID(id); ok {
		if item, ok := mockforge.KVGet(itemKey(key)); ok {
			return jsonResponse(200, item)
		}
	}
	return jsonResponse(404, errorBody("not found"))
}

func remove(id string) *mockforge.Response {
	if key, ok := parseID(id); ok && mockforge.KVDelete(itemKey(key)) {
		return jsonResponse(204, nil)
	}
	return jsonResponse(404, errorBody("not found"))
}

func jsonResponse(status uint16, body []byte) *mockforge.Response {
	return &mockforge.Response{
		Status:  status,
		Headers: []mockforge.Header{{Name: "content-type", Value: "application/json"}},
		Body:    body,
	}
}
