// k3sbox-warm: the launcher's front for chart commands. It hands the command to a warm k3sbox JVM
// (dev.k3sbox.cli.warm.WarmJvm) when one is ready for this build, folder and environment, and
// otherwise runs the JVM as the launcher always did (exec, same process) and starts a warm one
// for next time.
//
// Why: a chart command in a fresh JVM spends ~0.8 s loading and first running its code; the same
// command in a JVM that has run one before takes ~0.2 s, less than kubectl's own careful way.
//
//	k3sbox-warm JAVA [JVM OPTIONS...] dev.k3sbox.cli.K3sbox ARGS...
//
// Each warm JVM serves one folder (its working directory) and one environment: it was started by
// a command run there with that environment, and its children (Helm's engine) inherit it. So the
// socket is named by a digest of the JVM's command line, the CLI jar's time stamp, the folder and
// the environment, and anything else is served by a JVM of its own.
//
// Protocol (a Unix socket in a 0700 folder), frames both ways: a type byte, a 4-byte big-endian
// length and the payload. The request: 't' whether stdin and stdout are a terminal ("true" or
// "false"), 'a' each argument, 'r' run. The answer: 'p' serving (the JVM's pid), then 'o' stdout,
// 'e' stderr, and 'x' the exit code; or at once 'c' and why (run it cold: busy, still warming up,
// or a command the warm JVM does not take).
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

const mainClass = "dev.k3sbox.cli.K3sbox"
const warmClass = "dev.k3sbox.cli.warm.WarmJvm"

// Longest path a Unix socket's address takes on Linux (sun_path), less its terminating NUL.
const maxSocketPath = 107

func main() {
	java := os.Args[1:]
	at := indexOf(java, mainClass)
	if len(java) == 0 || at < 0 {
		fmt.Fprintln(os.Stderr, "k3sbox-warm: usage: k3sbox-warm JAVA [OPTIONS] "+mainClass+" ARGS...")
		os.Exit(2)
	}
	if !enabled() {
		runCold(java)
	}
	socket, ok := socketPath(java[:at])
	if !ok {
		runCold(java)
	}
	conn, err := net.Dial("unix", socket)
	if err != nil {
		// None listening (none yet, or one that ended): this command runs cold, and a warm JVM
		// starts beside it. It waits for this process to end before it warms up, so that the two
		// do not share the cores.
		spawn(java[:at], socket)
		runCold(java)
	}
	os.Exit(serve(conn.(*net.UnixConn), java, java[at+1:]))
}

// enabled: K3SBOX_WARM=off (0, false, no) turns the warm JVM off, on (1, true, yes) on; unset, it
// is on except under CI (the CI variable that GitHub, GitLab and most others set), where a job
// runs few commands and a JVM left behind would only hold memory.
func enabled() bool {
	switch strings.ToLower(os.Getenv("K3SBOX_WARM")) {
	case "off", "0", "false", "no":
		return false
	case "on", "1", "true", "yes":
		return true
	}
	ci := strings.ToLower(os.Getenv("CI"))
	return ci == "" || ci == "false" || ci == "0"
}

// socketPath: <state dir>/warm/<digest>.sock, the state dir as k3sbox's StateDir finds it
// ($K3SBOX_HOME, else $HOME/.k3sbox); false when there is none or the path is too long.
func socketPath(jvm []string) (string, bool) {
	state := os.Getenv("K3SBOX_HOME")
	if strings.TrimSpace(state) == "" {
		home := os.Getenv("HOME")
		if home == "" {
			return "", false
		}
		state = filepath.Join(home, ".k3sbox")
	}
	state, err := filepath.Abs(state)
	if err != nil {
		return "", false
	}
	dir := filepath.Join(state, "warm")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", false
	}
	socket := filepath.Join(dir, digest(jvm)+".sock")
	return socket, len(socket) <= maxSocketPath
}

// digest names the JVM that may serve this command: same JVM command line, same build of the CLI
// (its jar's time and size), same folder, same environment.
func digest(jvm []string) string {
	h := sha256.New()
	for _, a := range jvm {
		// Not the class-data archive: the first run after a build trains it and runs without it.
		if strings.HasPrefix(a, "-XX:SharedArchiveFile=") || strings.HasPrefix(a, "-Xlog:cds") {
			continue
		}
		h.Write([]byte(a))
		h.Write([]byte{0})
	}
	if jar := firstClassPathEntry(jvm); jar != "" {
		if st, err := os.Stat(jar); err == nil {
			fmt.Fprintf(h, "jar %s %d %d\x00", jar, st.ModTime().UnixNano(), st.Size())
		}
	}
	cwd, _ := os.Getwd()
	fmt.Fprintf(h, "cwd %s\x00", cwd)
	h.Write([]byte(environmentKey(os.Environ())))
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// environmentKey: the environment, sorted, without what a shell changes on its own between two
// commands of the same session.
func environmentKey(env []string) string {
	kept := make([]string, 0, len(env))
	for _, kv := range env {
		name := kv
		if i := strings.IndexByte(kv, '='); i >= 0 {
			name = kv[:i]
		}
		switch name {
		case "_", "SHLVL", "OLDPWD":
			continue
		}
		kept = append(kept, kv)
	}
	sort.Strings(kept)
	return strings.Join(kept, "\x00")
}

func firstClassPathEntry(jvm []string) string {
	for i, a := range jvm {
		if (a == "-cp" || a == "-classpath" || a == "--class-path") && i+1 < len(jvm) {
			return strings.SplitN(jvm[i+1], ":", 2)[0]
		}
	}
	return ""
}

// spawn starts a warm JVM for socket in a session of its own (so a Ctrl-C meant for this command
// does not reach it), its output in a log beside the socket.
func spawn(jvm []string, socket string) {
	javaPath, err := exec.LookPath(jvm[0])
	if err != nil {
		return
	}
	log, err := os.OpenFile(strings.TrimSuffix(socket, ".sock")+".log", os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return
	}
	defer log.Close()
	null, err := os.Open(os.DevNull)
	if err != nil {
		return
	}
	defer null.Close()
	// What the socket's name is a digest of, so that a second warm JVM where one was expected can
	// be explained (the variables' names only: their values may be secrets).
	cwd, _ := os.Getwd()
	var names []string
	for _, kv := range strings.Split(environmentKey(os.Environ()), "\x00") {
		names = append(names, strings.SplitN(kv, "=", 2)[0])
	}
	envDigest := sha256.Sum256([]byte(environmentKey(os.Environ())))
	fmt.Fprintf(log, "started by pid %d in %s\njvm: %s\nenvironment (digest %x): %s\n",
		os.Getpid(), cwd, strings.Join(jvm, " "), envDigest[:8], strings.Join(names, " "))
	argv := append(append([]string{}, jvm...), warmClass, socket, strconv.Itoa(os.Getpid()))
	process, err := os.StartProcess(javaPath, argv, &os.ProcAttr{
		Files: []*os.File{null, log, log},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	if err == nil {
		_ = process.Release()
	}
}

// runCold runs the command as the launcher always did: this process becomes the JVM.
func runCold(java []string) {
	javaPath, err := exec.LookPath(java[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "k3sbox: %s not found on PATH; install Java 17 or later\n", java[0])
		os.Exit(1)
	}
	err = syscall.Exec(javaPath, java, os.Environ())
	fmt.Fprintf(os.Stderr, "k3sbox: cannot run %s: %v\n", javaPath, err)
	os.Exit(1)
}

// serve hands args to the warm JVM on conn and relays its output; it returns the exit code. A
// Ctrl-C, SIGTERM or SIGHUP is passed on to that JVM, which ends the command as a cold one would
// (scratch objects removed, exit 130) and then ends itself.
func serve(conn *net.UnixConn, java, args []string) int {
	// As System.console() decides in the JVM: both stdin and stdout on a terminal.
	terminal := isTerminal(os.Stdin) && isTerminal(os.Stdout)
	var req []byte
	req = appendFrame(req, 't', strconv.FormatBool(terminal))
	for _, a := range args {
		req = appendFrame(req, 'a', a)
	}
	req = appendFrame(req, 'r', "")
	if _, err := conn.Write(req); err != nil {
		conn.Close()
		runCold(java)
	}
	kind, payload, err := frame(conn)
	if err != nil || kind != 'p' {
		conn.Close()
		runCold(java) // busy, still warming up, or not a command it takes
	}
	pid, _ := strconv.Atoi(string(payload))

	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	interrupted := make(chan struct{}, 1)
	go func() {
		for s := range signals {
			sig := syscall.SIGTERM
			if s == syscall.SIGINT {
				sig = syscall.SIGINT
			}
			if pid > 0 {
				_ = syscall.Kill(pid, sig)
			}
			select {
			case interrupted <- struct{}{}:
			default:
			}
		}
	}()

	for {
		kind, payload, err := frame(conn)
		if err != nil {
			select {
			case <-interrupted:
				return 130 // the JVM ended the command on the signal, and itself with it
			default:
			}
			fmt.Fprintf(os.Stderr, "k3sbox: the warm JVM (pid %d) ended before the command did (%v); "+
				"its log is beside %s; run the command again, or with K3SBOX_WARM=off\n", pid, err, conn.RemoteAddr())
			return 1
		}
		switch kind {
		case 'o':
			_, _ = os.Stdout.Write(payload)
		case 'e':
			_, _ = os.Stderr.Write(payload)
		case 'x':
			code, _ := strconv.Atoi(string(payload))
			return code
		}
	}
}

func appendFrame(b []byte, kind byte, payload string) []byte {
	b = append(b, kind)
	b = binary.BigEndian.AppendUint32(b, uint32(len(payload)))
	return append(b, payload...)
}

func frame(r io.Reader) (byte, []byte, error) {
	var head [5]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, err
	}
	payload := make([]byte, binary.BigEndian.Uint32(head[1:]))
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	return head[0], payload, nil
}

func indexOf(list []string, s string) int {
	for i, a := range list {
		if a == s {
			return i
		}
	}
	return -1
}

// isTerminal: whether f is a terminal (the TCGETS ioctl succeeds), as isatty(3) decides.
func isTerminal(f *os.File) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}
