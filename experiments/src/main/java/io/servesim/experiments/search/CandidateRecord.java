package io.servesim.experiments.search;

import io.servesim.experiments.capacity.CapacityResult;

/**
 * What a candidate's capacity search leaves in {@code capacity/<candidate id>.json}: the search, its wall-clock time
 * and a fingerprint of what it ran (the scenario, the options and where bracketing started), so that a resumed or
 * merged search reuses it only for the very same search.
 */
record CandidateRecord(String candidateId, String fingerprint, CapacityResult capacity, double wallSeconds) {
}
