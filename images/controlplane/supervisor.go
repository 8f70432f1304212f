package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// supervisor runs the control-plane components as child processes of this binary. Separate
// processes keep each component's global flags, metrics and logging apart, as upstream
// expects; the first child to exit ends the server, so the container stops visibly instead
// of running half a control plane.
type supervisor struct {
	running []*exec.Cmd
	exited  chan error
}

func newSupervisor() *supervisor {
	return &supervisor{exited: make(chan error, 8)}
}

func (s *supervisor) start(name string, cmd *exec.Cmd, dir string) error {
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	// The children die with the server even when it is killed without a chance to stop them.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	logf("started %s (pid %d)", name, cmd.Process.Pid)
	s.running = append(s.running, cmd)
	go func() {
		err := cmd.Wait()
		s.exited <- fmt.Errorf("%s exited: %v", name, err)
	}()
	return nil
}

// stopAll sends SIGTERM to every child, last started first, and SIGKILL to those still
// running after the grace period.
func (s *supervisor) stopAll(grace time.Duration) {
	for i := len(s.running) - 1; i >= 0; i-- {
		if p := s.running[i].Process; p != nil {
			_ = p.Signal(syscall.SIGTERM)
		}
	}
	deadline := time.Now().Add(grace)
	for _, c := range s.running {
		for c.ProcessState == nil && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if c.ProcessState == nil {
			_ = c.Process.Kill()
		}
	}
}
