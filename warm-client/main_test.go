package main

import "testing"

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
