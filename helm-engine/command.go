package main

import (
	"runtime/debug"
	"sync"
	"time"
)

// commandState is what an engine keeps for one k3sbox command only: the charts as loaded and what
// each cluster serves. A cold JVM starts an engine for each command; the warm JVM keeps its
// engine from one command to the next, and between two commands the user edits the chart and the
// cluster gains CRDs. What is keyed by content (each document's JSON, each file's sorted
// manifests, each template's parse trees, the pieces sent) holds for the life of the process.
type commandState struct {
	charts   memo[string, loadedChart]
	clusters sync.Map // clusterKey → cluster
	// discovering: a lock per cluster, so that renders asking for one cluster at once (an
	// upgrade check renders both charts together against a server that has just booted)
	// discover it once.
	discovering sync.Map
}

// commands: the state of the latest command an engine has been asked about. Requests come in
// order, one command's after the one before's; renders of an earlier command still running keep
// the state they were given.
var commands = struct {
	sync.Mutex
	number int64
	state  *commandState
}{state: &commandState{}}

// stateOf is command number's state, made afresh when number is a later command's. A request of
// an earlier command (a render its command gave up on, sent as the next began) gets a state of its
// own and leaves the latest command's as it is.
func stateOf(number int64) *commandState {
	commands.Lock()
	defer commands.Unlock()
	switch {
	case number > commands.number:
		commands.number = number
		commands.state = &commandState{}
	case number < commands.number:
		return &commandState{}
	}
	return commands.state
}

// idleRelease gives the heap back to the system once no request has been in flight for a while:
// the warm JVM keeps its engine between commands, and at serve's collector pacing (400) the
// heap of a large chart's renders stays at ~150 MB of memory in between. What is kept by content
// stays; the garbage of the renders goes.
type idleRelease struct {
	sync.Mutex
	after    time.Duration
	inFlight int
	timer    *time.Timer
}

func newIdleRelease(after time.Duration) *idleRelease {
	return &idleRelease{after: after}
}

func (r *idleRelease) busy() {
	r.Lock()
	defer r.Unlock()
	r.inFlight++
	if r.timer != nil {
		r.timer.Stop()
	}
}

func (r *idleRelease) done() {
	r.Lock()
	defer r.Unlock()
	r.inFlight--
	if r.inFlight > 0 {
		return
	}
	if r.timer != nil {
		r.timer.Stop()
	}
	r.timer = time.AfterFunc(r.after, func() {
		r.Lock()
		still := r.inFlight == 0
		r.Unlock()
		if still {
			debug.FreeOSMemory()
		}
	})
}
