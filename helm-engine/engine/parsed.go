package engine

import (
	"sync"
	"text/template"
	"text/template/parse"
)

// parsedFiles: a template file's text → its parse trees (the file's own and those it defines), for
// the life of the process. Parse trees are never changed once made (text/template runs one
// template in several goroutines at once), so renders share them. Text that does not parse is not
// kept: its render fails anyway.
var parsedFiles sync.Map

// placeholders: the functions a template may name. Parsing checks only that a name is a function;
// each render binds its own (include, tpl, lookup and the others close over that render).
var placeholders = funcMap()

// addParsed adds text's templates to t (named t.Name(), as Helm's t.New(filename)), as
// t.Parse(text) does, from trees parsed once per (name, text).
func addParsed(t *template.Template, text string) error {
	key := [2]string{t.Name(), text}
	trees, ok := parsedFiles.Load(key)
	if !ok {
		parsed, err := parseTrees(t.Name(), text)
		if err != nil {
			return err
		}
		trees, _ = parsedFiles.LoadOrStore(key, parsed)
	}
	for name, tree := range trees.(map[string]*parse.Tree) {
		if _, err := t.AddParseTree(name, tree); err != nil {
			return err
		}
	}
	return nil
}

// parseTrees parses text as Template.Parse does, in a template set of its own: the standard
// library keeps its built-in functions (and, or, len...) to itself, so parse.Parse cannot be
// called with them directly.
func parseTrees(name, text string) (map[string]*parse.Tree, error) {
	scratch, err := template.New(name).Funcs(placeholders).Parse(text)
	if err != nil {
		return nil, err
	}
	trees := make(map[string]*parse.Tree)
	for _, defined := range scratch.Templates() {
		trees[defined.Name()] = defined.Tree
	}
	if _, ok := trees[name]; !ok {
		trees[name] = scratch.Tree
	}
	return trees, nil
}
