package io.servesim.experiments.search;

import io.servesim.core.config.ConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The deployments a search considers: every combination of GPU type × tp × pp × ep × scheduler × batch limit ×
 * chunked prefill (a {@link ReplicaShape}), each with 1 … {@code maxReplicas} replicas.
 *
 * @param gpus           GPU types (catalog names)
 * @param tp             tensor-parallel degrees
 * @param pp             pipeline-parallel degrees
 * @param ep             expert-parallel degrees ({@code [1]} for a dense model)
 * @param maxReplicas    most data-parallel replicas, ≥ 1
 * @param schedulers     batching policies by registry name, with their defaults
 * @param batchLimits    (max_num_seqs, max_num_batched_tokens) pairs
 * @param chunkedPrefill chunked prefill off and/or on
 */
public record SearchSpace(List<String> gpus, List<Integer> tp, List<Integer> pp, List<Integer> ep, int maxReplicas,
                          List<String> schedulers, List<BatchLimit> batchLimits, List<Boolean> chunkedPrefill) {

    /**
     * Policies whose iterations the throughput bounds cover: one engine per replica (p virtual engines with PP), each
     * iteration a batch of at most max_num_seqs sequences. {@code parallel_stream} runs streams that overlap on one
     * GPU, which the bounds do not model.
     */
    public static final Set<String> SCHEDULERS = Set.of("continuous", "dynamic", "multi_bin", "static", "simple");

    public SearchSpace {
        gpus = nonEmpty(gpus, "gpus");
        tp = positive(tp, "tp");
        pp = positive(pp, "pp");
        ep = positive(ep, "ep");
        schedulers = nonEmpty(schedulers, "schedulers");
        batchLimits = nonEmpty(batchLimits, "batch-limits");
        chunkedPrefill = nonEmpty(chunkedPrefill, "chunked-prefill");
        ConfigException.require(maxReplicas >= 1, "max-replicas", "must be >= 1", maxReplicas);
        for (String s : schedulers) {
            ConfigException.require(SCHEDULERS.contains(s), "schedulers", "must each be one of "
                    + SCHEDULERS.stream().sorted().toList() + " (the policies the pruning bounds cover)", s);
        }
    }

    /** Every shape, in a fixed order: GPU, tp, pp, ep, scheduler, batch limit, chunked prefill (as listed). */
    public List<ReplicaShape> shapes() {
        List<ReplicaShape> shapes = new ArrayList<>();
        for (String gpu : gpus) {
            for (int t : tp) {
                for (int p : pp) {
                    for (int e : ep) {
                        for (String s : schedulers) {
                            for (BatchLimit l : batchLimits) {
                                for (boolean c : chunkedPrefill) {
                                    shapes.add(new ReplicaShape(gpu, t, p, e, s, l, c));
                                }
                            }
                        }
                    }
                }
            }
        }
        return shapes;
    }

    /** Candidates in the space: shapes × replicas. */
    public long size() {
        return (long) gpus.size() * tp.size() * pp.size() * ep.size() * schedulers.size() * batchLimits.size()
                * chunkedPrefill.size() * maxReplicas;
    }

    private static <T> List<T> nonEmpty(List<T> values, String field) {
        ConfigException.require(values != null && !values.isEmpty(), field, "must list at least one value", values);
        ConfigException.require(values.stream().distinct().count() == values.size(), field,
                "must not list a value twice", values);
        return List.copyOf(values);
    }

    private static List<Integer> positive(List<Integer> values, String field) {
        List<Integer> list = nonEmpty(values, field);
        for (int v : list) {
            ConfigException.require(v >= 1, field, "must each be >= 1", v);
        }
        return list;
    }
}
