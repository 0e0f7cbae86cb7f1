package io.servesim.experiments.search;

import io.servesim.experiments.capacity.CapacityOptions;
import io.servesim.experiments.capacity.CapacityResult;
import io.servesim.experiments.capacity.CapacitySearch;
import io.servesim.experiments.capacity.CapacitySearch.WarmStart;
import io.servesim.experiments.plan.PlanException;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.scenario.Scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Candidates' capacity searches with a record each in a folder ({@link CandidateRecord}): a search whose record the
 * folder holds is not run again (a resumed search, or the records a merge gathered from the shards); with records
 * only, none is run and a missing record is a mistake.
 */
public final class RecordedCapacities implements DeploymentSearch.CapacityFinder {
    private final PlanFolder folder;
    private final boolean reuse;
    private final boolean recordsOnly;

    /**
     * @param reuse       take a search from its record when the folder holds one
     * @param recordsOnly run no search: every one must have its record (implies reuse)
     */
    public RecordedCapacities(PlanFolder folder, boolean reuse, boolean recordsOnly) {
        this.folder = folder;
        this.reuse = reuse || recordsOnly;
        this.recordsOnly = recordsOnly;
    }

    @Override
    public CapacityResult find(String candidateId, Scenario scenario, CapacityOptions options, WarmStart start) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("id", candidateId);
        definition.put("scenario", scenario);
        definition.put("options", options);
        definition.put("start", start);
        String fingerprint = PlanFolder.fingerprint(candidateId, definition);
        Optional<CandidateRecord> existing = reuse ? folder.record(PlanFolder.CAPACITY, candidateId, CandidateRecord.class,
                CandidateRecord::fingerprint, fingerprint, "the candidate " + candidateId) : Optional.empty();
        if (existing.isPresent()) {
            return existing.get().capacity();
        }
        if (recordsOnly) {
            throw new PlanException("the candidate " + candidateId + " has no record in " + folder.resolve("")
                    + "; run the shard that owns it to the end (--resume ITS_FOLDER --shard I/N) and give its folder too");
        }
        long begin = System.nanoTime();
        CapacityResult capacity = CapacitySearch.find(scenario, options, start, probe -> { });
        folder.writeRecord(PlanFolder.CAPACITY, candidateId,
                new CandidateRecord(candidateId, fingerprint, capacity, (System.nanoTime() - begin) / 1e9));
        return capacity;
    }
}
