//go:build wasip1

package main

// wallClock is the system's wall-clock time in seconds since the Unix epoch, with their
// fraction: one WASI call (clock_time_get of the realtime clock), where time.Now makes two
// (the realtime clock and the monotonic one, which an expiry check does not need).
func wallClock() float64 {
	var nanoseconds uint64
	if clockTimeGet(clockRealtime, 1, &nanoseconds) != 0 {
		panic("auth-jwt: the realtime clock cannot be read")
	}
	return float64(nanoseconds) / 1e9
}

const clockRealtime = 0

//go:wasmimport wasi_snapshot_preview1 clock_time_get
func clockTimeGet(clock uint32, precision uint64, nanoseconds *uint64) uint32
