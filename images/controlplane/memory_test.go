package main

import "testing"

func TestMemoryLimitKeepsItsFloorWhileTheHeapIsSmall(t *testing.T) {
	const mib = 1 << 20
	if got := memoryLimitFor(450*mib, 200*mib, 40*mib); got != 450*mib {
		t.Fatalf("limit %d MiB, want the floor 450", got/mib)
	}
}

func TestMemoryLimitLeavesTheLiveHeapRoomToGrowByHalf(t *testing.T) {
	const mib = 1 << 20
	// The measured case: ~430 MiB live with the corpus charts' CRDs kept, a 450MiB floor.
	if got := memoryLimitFor(450*mib, 430*mib, 60*mib); got != 60*mib+645*mib {
		t.Fatalf("limit %d MiB, want 705 (non-heap 60 + live 430 + half of it)", got/mib)
	}
}

func TestMemoryLimitIgnoresNonsenseReadings(t *testing.T) {
	if got := memoryLimitFor(100, -5, -7); got != 100 {
		t.Fatalf("limit %d, want the floor", got)
	}
}
