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
	"sync"
	"syscall"
	"time"
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
	// Caught from the start (exec resets them for a cold JVM): a signal before the warm JVM has
	// taken the command must not kill this process and leave the command running unattended.
	for _, sig := range []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		if signal.Ignored(sig) {
			ignoredAtStart = append(ignoredAtStart, sig)
		}
	}
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	// A reader that goes away (`| head`) must not kill this process with SIGPIPE: a cold JVM
	// ignores it, still prints to stderr and exits with its own code.
	signal.Ignore(syscall.SIGPIPE)
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
	os.Exit(serve(conn.(*net.UnixConn), java, java[at+1:], signals))
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
	// JVM options of the user's own (a debugger's port, a recording's file) are for a JVM of its
	// own: a warm JVM would take the port or the file first, or serve without them.
	if strings.TrimSpace(os.Getenv("K3SBOX_JAVA_OPTS")) != "" {
		return false
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
	if err := os.MkdirAll(dir, 0o700); err != nil || !private(dir) {
		return "", false
	}
	socket := filepath.Join(dir, digest(jvm)+".sock")
	return socket, len(socket) <= maxSocketPath
}

// digest names the JVM that may serve this command: same JVM command line, same build of the CLI
// (the time and size of k3sbox's own jars on its class path), same folder, same environment.
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
	for _, jar := range ownJars(jvm) {
		if st, err := os.Stat(jar); err == nil {
			fmt.Fprintf(h, "jar %s %d %d\x00", jar, st.ModTime().UnixNano(), st.Size())
		}
	}
	// The folder by its path and by what it is: a folder moved away and another made in its place
	// is another folder (the warm JVM and its engine still work in the first).
	cwd, _ := os.Getwd()
	fmt.Fprintf(h, "cwd %s\x00", cwd)
	if st, err := os.Stat("."); err == nil {
		if sys, ok := st.Sys().(*syscall.Stat_t); ok {
			fmt.Fprintf(h, "cwd-inode %d %d\x00", sys.Dev, sys.Ino)
		}
	}
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

// ownJars: the class path's jars and, in its folders given as dir/*, k3sbox's own (k3sbox-*.jar):
// a rebuild of one module (core, helm-runner) leaves the CLI's jar as it was, and a warm JVM of
// the build before must not serve the next command.
func ownJars(jvm []string) []string {
	var jars []string
	for i, a := range jvm {
		if (a == "-cp" || a == "-classpath" || a == "--class-path") && i+1 < len(jvm) {
			for _, entry := range strings.Split(jvm[i+1], ":") {
				if strings.HasSuffix(entry, "/*") {
					own, _ := filepath.Glob(strings.TrimSuffix(entry, "*") + "k3sbox-*.jar")
					jars = append(jars, own...)
				} else if entry != "" {
					jars = append(jars, entry)
				}
			}
		}
	}
	return jars
}

// spawn starts a warm JVM for socket in a session of its own (so a Ctrl-C meant for this command
// does not reach it), its output in a log beside the socket. Nothing of this process but that is
// passed on: its other open files are closed in the JVM, and the signals this process catches
// start there with their default handling (a shell's background job ignores SIGINT; its warm JVM
// must not).
func spawn(jvm []string, socket string) {
	javaPath, err := exec.LookPath(jvm[0])
	if err != nil {
		return
	}
	if failedLately(socket) {
		return
	}
	makeRoom(filepath.Dir(socket))
	log, err := os.OpenFile(strings.TrimSuffix(socket, ".sock")+".log",
		os.O_CREATE|os.O_WRONLY|os.O_APPEND|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return
	}
	defer log.Close()
	null, err := os.Open(os.DevNull)
	if err != nil {
		return
	}
	defer null.Close()
	closeOnExecAbove(2)
	signal.Reset(syscall.SIGPIPE) // until exec: the JVM's children expect SIGPIPE's default
	// What the socket's name is a digest of, so that a second warm JVM where one was expected can
	// be explained (the variables' names only: their values may be secrets).
	cwd, _ := os.Getwd()
	env := environmentKey(os.Environ())
	var names []string
	for _, kv := range strings.Split(env, "\x00") {
		names = append(names, strings.SplitN(kv, "=", 2)[0])
	}
	envDigest := sha256.Sum256([]byte(env))
	fmt.Fprintf(log, "%s started by pid %d in %s\njvm: %s\nenvironment (digest %x): %s\n",
		time.Now().UTC().Format(time.RFC3339Nano), os.Getpid(), cwd, strings.Join(jvm, " "),
		envDigest[:8], strings.Join(names, " "))
	argv := append(append([]string{}, jvm...), warmClass, socket, strconv.Itoa(os.Getpid()))
	process, err := os.StartProcess(javaPath, argv, &os.ProcAttr{
		Files: []*os.File{null, log, log},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	signal.Ignore(syscall.SIGPIPE)
	if err == nil {
		_ = process.Release()
	}
}

// failedLately: a warm JVM for socket could not listen there within the hour (a file system
// without Unix sockets, say); it says why in <digest>.failed. Starting one for every command would
// only cost each of them a JVM's start.
func failedLately(socket string) bool {
	st, err := os.Lstat(strings.TrimSuffix(socket, ".sock") + ".failed")
	return err == nil && time.Since(st.ModTime()) < time.Hour
}

// At most this many warm JVMs at once (each holds 150-300 MB): one a folder and environment
// would otherwise pile up over a loop through many chart folders.
const maxWarm = 3

// makeRoom ends the warm JVMs least recently used beyond maxWarm-1, by removing their sockets
// (a warm JVM ends within seconds of its socket's removal, after the command it serves).
func makeRoom(dir string) {
	sockets, _ := filepath.Glob(filepath.Join(dir, "*.sock"))
	if len(sockets) < maxWarm {
		return
	}
	used := func(p string) time.Time {
		// A warm JVM touches its socket after each command it serves.
		if st, err := os.Lstat(p); err == nil {
			return st.ModTime()
		}
		return time.Time{}
	}
	sort.Slice(sockets, func(i, j int) bool { return used(sockets[i]).Before(used(sockets[j])) })
	for _, s := range sockets[:len(sockets)-maxWarm+1] {
		_ = os.Remove(s)
	}
}

// closeOnExecAbove marks every open file above fd n close-on-exec: an inherited pipe (a test
// runner's, a script's $(...)) kept open by a warm JVM for half an hour would keep its reader
// waiting for the end of it.
func closeOnExecAbove(n int) {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > n {
			syscall.CloseOnExec(fd)
		}
	}
}

// private: dir is a real folder of this user's that nobody else may enter, as a socket that
// carries the user's command lines needs.
func private(dir string) bool {
	st, err := os.Lstat(dir)
	if err != nil || !st.IsDir() || st.Mode().Perm()&0o077 != 0 {
		return false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(sys.Uid) == os.Getuid()
}

// Signals this process was started with ignored (a background job's SIGINT): a cold JVM starts
// with them ignored too, as it would have without this front.
var ignoredAtStart []os.Signal

// runCold runs the command as the launcher always did: this process becomes the JVM, with the
// signal handling it would have had.
func runCold(java []string) {
	signal.Reset()
	if len(ignoredAtStart) > 0 {
		signal.Ignore(ignoredAtStart...)
	}
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
// Ctrl-C, SIGTERM or SIGHUP is passed on to that JVM as SIGTERM, which ends the command as a cold
// one would (scratch objects removed, exit 130) and then ends itself.
func serve(conn *net.UnixConn, java, args []string, signals chan os.Signal) int {
	if !sameUser(conn) {
		conn.Close()
		runCold(java)
	}
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
	select {
	case s := <-signals:
		// Before the command was taken or refused: it is not ours to end, and none is run here.
		conn.Close()
		return exitOn(s)
	default:
	}
	if err != nil || kind != 'p' {
		conn.Close()
		runCold(java) // busy, still warming up, or not a command it takes
	}
	pid, _ := strconv.Atoi(string(payload))

	var got os.Signal
	var mu sync.Mutex
	go func() {
		for s := range signals {
			mu.Lock()
			if got == nil {
				got = s
			}
			mu.Unlock()
			if pid > 0 {
				_ = syscall.Kill(pid, syscall.SIGTERM)
			}
		}
	}()

	stdoutGone := false
	for {
		kind, payload, err := frame(conn)
		if err != nil {
			mu.Lock()
			s := got
			mu.Unlock()
			if s != nil {
				return exitOn(s) // the JVM ended the command on the signal, and itself with it
			}
			fmt.Fprintf(os.Stderr, "k3sbox: the warm JVM (pid %d) ended before the command did (%v); "+
				"its log is beside %s; run the command again, or with K3SBOX_WARM=off\n", pid, err, conn.RemoteAddr())
			return 1
		}
		switch kind {
		case 'o':
			// After its reader went away, stdout is dropped, as a cold JVM's writes fail silently.
			if !stdoutGone {
				if _, err := os.Stdout.Write(payload); err != nil {
					stdoutGone = true
				}
			}
		case 'e':
			_, _ = os.Stderr.Write(payload)
		case 'x':
			code, _ := strconv.Atoi(string(payload))
			return code
		}
	}
}

// exitOn: the code a cold JVM ends with on s: 130 on SIGINT and SIGTERM (k3sbox's), 129 on SIGHUP
// (the JVM's).
func exitOn(s os.Signal) int {
	if s == syscall.SIGHUP {
		return 129
	}
	return 130
}

// sameUser: whoever answers on the socket runs as this user (SO_PEERCRED).
func sameUser(conn *net.UnixConn) bool {
	raw, err := conn.SyscallConn()
	if err != nil {
		return false
	}
	same := false
	_ = raw.Control(func(fd uintptr) {
		cred, err := syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
		same = err == nil && int(cred.Uid) == os.Getuid()
	})
	return same
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
