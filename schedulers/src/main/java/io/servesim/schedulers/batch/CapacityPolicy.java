package io.servesim.schedulers.batch;

import com.fasterxml.jackson.annotation.JsonProperty;

/** TensorRT-LLM's capacity-scheduler policies: how much KV a request must be promised to start. */
public enum CapacityPolicy {
    /** Admit while the prompt fits in free KV blocks; evict (preempt and recompute) on pressure. */
    @JsonProperty("max_utilization") MAX_UTILIZATION,
    /**
     * Admit only when the request's whole prompt + output fits in the KV blocks not yet promised to
     * running requests, so a started request is never evicted.
     */
    @JsonProperty("guaranteed_no_evict") GUARANTEED_NO_EVICT
}
