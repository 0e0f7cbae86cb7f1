package io.servesim.workloads.arrival;

/** A stream of arrival times, starting after time 0. Single-use, not thread-safe. */
public interface ArrivalProcess {

    /** The next arrival time in seconds (never decreasing), or +∞ when the process has ended. */
    double nextArrivalSeconds();
}
