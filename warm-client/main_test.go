package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestEnvironmentKeyIgnoresWhatAShellChangesBetweenCommands(t *testing.T) {
	a := environmentKey([]string{"HOME=/h", "_=/usr/bin/k3sbox", "SHLVL=1", "OLDPWD=/x", "KUBECONFIG=/k"})
	b := environmentKey([]string{"KUBECONFIG=/k", "SHLVL=3", "HOME=/h", "_=/bin/sh"})
	if a != b {
		t.Fatalf("keys differ: %q, %q", a, b)
	}
	if c := environmentKey([]string{"HOME=/h", "KUBECONFIG=/other"}); c == a {
		t.Fatal("another KUBECONFIG gave the same key")
	}
}

func TestDigestIgnoresTheClassDataArchiveButNotOtherJvmFlags(t *testing.T) {
	base := []string{"java", "-XX:+UseSerialGC", "-cp", "/nonexistent.jar"}
	withArchive := []string{"java", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=/a.jsa", "-Xlog:cds=off", "-cp", "/nonexistent.jar"}
	if digest(base) != digest(withArchive) {
		t.Fatal("the class-data archive changed the digest")
	}
	if digest(base) == digest([]string{"java", "-Xmx2g", "-cp", "/nonexistent.jar"}) {
		t.Fatal("other JVM flags gave the same digest")
	}
}

// A rebuild of one module (helm-runner, core) leaves the CLI's jar as it was: a warm JVM of the
// build before must not serve the next command.
func TestDigestChangesWithAnyOfK3sboxsOwnJars(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib")
	if err := os.MkdirAll(lib, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "k3sbox-cli.jar"), "cli")
	write(filepath.Join(lib, "k3sbox-core-0.1.0.jar"), "core")
	write(filepath.Join(lib, "jackson-core-2.22.0.jar"), "jackson")
	jvm := []string{"java", "-cp", filepath.Join(dir, "k3sbox-cli.jar") + ":" + lib + "/*", "dev.k3sbox.cli.K3sbox"}
	before := digest(jvm)

	write(filepath.Join(lib, "jackson-core-2.22.0.jar"), "jackson, touched")
	if digest(jvm) != before {
		t.Error("a library jar not k3sbox's own changed the digest")
	}
	write(filepath.Join(lib, "k3sbox-core-0.1.0.jar"), "core, rebuilt")
	if digest(jvm) == before {
		t.Error("a rebuilt k3sbox-core jar left the digest as it was")
	}
}

func TestDisabledByK3sboxWarmOffAndUnderCiUnlessTurnedOn(t *testing.T) {
	cases := []struct {
		warm, ci string
		want     bool
	}{
		{"", "", true}, {"off", "", false}, {"0", "", false}, {"", "true", false},
		{"", "false", true}, {"on", "true", true},
	}
	for _, c := range cases {
		t.Setenv("K3SBOX_WARM", c.warm)
		t.Setenv("CI", c.ci)
		if got := enabled(); got != c.want {
			t.Errorf("K3SBOX_WARM=%q CI=%q: enabled %v, want %v", c.warm, c.ci, got, c.want)
		}
	}
}

func TestMakeRoomEndsTheLeastRecentlyUsedBeyondTheCap(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	for i, name := range []string{"old", "mid", "new"} {
		p := filepath.Join(dir, name+".sock")
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		when := now.Add(time.Duration(i-3) * time.Minute)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}

	makeRoom(dir) // a fourth is about to start

	left, _ := filepath.Glob(filepath.Join(dir, "*.sock"))
	if len(left) != maxWarm-1 || left[0] != filepath.Join(dir, "mid.sock") || left[1] != filepath.Join(dir, "new.sock") {
		t.Fatalf("left %v, want mid and new", left)
	}
}

func TestPrivateRefusesAFolderOthersMayEnterOrALink(t *testing.T) {
	dir := t.TempDir()
	open := filepath.Join(dir, "open")
	closed := filepath.Join(dir, "closed")
	link := filepath.Join(dir, "link")
	if err := os.Mkdir(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o755); err != nil { // past the umask
		t.Fatal(err)
	}
	if err := os.Mkdir(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(closed, link); err != nil {
		t.Fatal(err)
	}
	if private(open) || !private(closed) || private(link) {
		t.Fatalf("private: open %v, closed %v, link %v; want false, true, false",
			private(open), private(closed), private(link))
	}
}

func TestNoNewWarmJvmWithinTheHourAfterOneCouldNotListen(t *testing.T) {
	dir := t.TempDir()
	socket := filepath.Join(dir, "d.sock")
	if failedLately(socket) {
		t.Fatal("failed without a .failed file")
	}
	failed := filepath.Join(dir, "d.failed")
	if err := os.WriteFile(failed, []byte("bind: not supported"), 0o600); err != nil {
		t.Fatal(err)
	}
	if !failedLately(socket) {
		t.Fatal("a fresh .failed file did not stop the start")
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(failed, old, old); err != nil {
		t.Fatal(err)
	}
	if failedLately(socket) {
		t.Fatal("a .failed file of two hours ago still stopped the start")
	}
}
