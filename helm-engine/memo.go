package main

import "sync"

// memo keeps one value per key for as long as the memo lives, computed by the first caller that
// asks for it; callers asking at the same time wait for that one. A matrix's renders start
// together and ask for the same things (a document's JSON, a file's sorted manifests, the loaded
// chart): each is then worked out once. Memos keyed by content live as long as the process;
// the others, one command (commandState).
type memo[K comparable, V any] struct{ entries sync.Map }

type memoEntry[V any] struct {
	once  sync.Once
	value V
}

func (m *memo[K, V]) get(key K, compute func() V) V {
	entry, _ := m.entries.LoadOrStore(key, &memoEntry[V]{})
	e := entry.(*memoEntry[V])
	e.once.Do(func() { e.value = compute() })
	return e.value
}

// has tells whether key has a value (or one being computed).
func (m *memo[K, V]) has(key K) bool {
	_, ok := m.entries.Load(key)
	return ok
}
