package main

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// k3sbox starts the stand-in with GOMEMLIMIT (450MiB by default): below it, Go's collector lets
// each process's heap grow to about twice what is live, and with a chart's CRDs kept the API
// server then sat at 700-800 MiB. But the limit is soft and fixed: once the live heap itself comes
// near it, the collector runs without pause. Measured after validating the eight corpus charts
// twice (~40 CRDs kept, their watch caches and OpenAPI models live): an idle API server at
// 140-185% CPU, nearly all of it in the collector, on a 2-core machine where k3sbox's own client
// and every other server share those cores. A user with more CRDs (Crossplane providers bring
// hundreds) would meet it sooner.
//
// adaptMemoryLimit keeps the limit the floor it was given, and raises it whenever the live heap
// needs more room: the limit then follows the heap as GOGC=50 would, so collections stay as
// frequent as the work, never continuous. It reads the runtime's own numbers every second.
func adaptMemoryLimit() {
	base := debug.SetMemoryLimit(-1)
	if base == math.MaxInt64 {
		return // no GOMEMLIMIT: Go's default pacing, nothing to adapt
	}
	samples := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	go func() {
		for range time.Tick(time.Second) {
			metrics.Read(samples)
			var v [6]uint64
			for i, s := range samples {
				if s.Value.Kind() == metrics.KindUint64 {
					v[i] = s.Value.Uint64()
				}
			}
			nonHeap := int64(v[1]) - int64(v[2]) - int64(v[3]) - int64(v[4]) - int64(v[5])
			debug.SetMemoryLimit(memoryLimitFor(base, int64(v[0]), nonHeap))
		}
	}()
}

// memoryLimitFor is the limit for a process whose live heap is live bytes and whose runtime holds
// nonHeap bytes besides its heap (stacks, metadata): the floor base, or room for the heap to grow
// by half of what is live, whichever is more.
func memoryLimitFor(base, live, nonHeap int64) int64 {
	if live < 0 {
		live = 0
	}
	if nonHeap < 0 {
		nonHeap = 0
	}
	needed := nonHeap + live + live/2
	if needed > base {
		return needed
	}
	return base
}
