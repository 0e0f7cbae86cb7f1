package io.servesim.core.cluster;

import io.servesim.core.config.ConfigException;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.AllReduceTimes;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.memory.MemoryFit;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.MixtureOfExperts;
import io.servesim.core.model.ModelSpec;
import io.servesim.core.model.RooflineStepTimeModel;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DeploymentTest {

    private static final Catalog CATALOG = Catalog.load();
    private static final ModelSpec LLAMA_7B = CATALOG.model("Llama-2-7B");
    private static final ModelSpec LLAMA3_8B = CATALOG.model("Llama-3-8B");
    private static final GpuSpec A100_80 = CATALOG.gpu("A100-80GB");
    private static final GpuSpec H100 = CATALOG.gpu("H100-SXM");
    /** 16 GPUs, 8 per node: NVLink 600 GB/s and 1 µs inside a node, 50 GB/s and 2.5 µs per link to the switch. */
    private static final Topology TWO_NODES = Topology.multiNode(16, 8, 600, 1, 50, 2.5);
    private static final double MICROS = 1e-6;

    @Test
    void replicasUseContiguousGpusStageByStageAndRankByRank() {
        // tp 2, pp 2: replica r uses [4r, 4r + 4); stage s of it [4r + 2s, 4r + 2s + 2).
        Deployment d = Deployment.of(LLAMA_7B, A100_80, 2, 2, 3, TWO_NODES);
        assertThat(d.gpuIndex(0, 0, 0)).isZero();
        assertThat(d.gpuIndex(1, 1, 0)).isEqualTo(6);
        assertThat(d.gpuIndex(2, 1, 1)).isEqualTo(11);
        assertThat(d.stageGroup(1, 0)).containsExactly(4, 5);
        assertThat(d.gpusUsed()).isEqualTo(12);
    }

    /** H100 with a hand-made measured curve for 2 GPUs: 10 µs up to 64 KiB, 30 µs at 16 MiB. */
    private static GpuSpec measuredH100() {
        return new GpuSpec(H100.name(), H100.peakTflops(), H100.peakFp8Tflops(), H100.hbmGiB(), H100.hbmBandwidthGBps(),
                H100.nvlinkBandwidthGBps(), H100.calibration(), H100.power(),
                new AllReduceTimes("hand-made", Map.of(2, new double[][] {{65_536, 10}, {16_777_216, 30}})));
    }

    @Test
    void aGroupInsideOneNvlinkNodeUsesTheGpusMeasuredAllReduce() {
        // tp 2 on GPUs {0, 1} of nodes at H100's NVLink figure: a decode of 4 sequences all-reduces
        // 4 · 4096 · 2 = 32,768 bytes, under the first point: 10 µs, two per layer, 32 layers = 640 µs.
        GpuSpec gpu = measuredH100();
        Topology nodes = Topology.multiNode(16, 8, gpu.nvlinkBandwidthGBps(), 1, 50, 2.5);
        RooflineStepTimeModel model = Deployment.of(LLAMA_7B, gpu, 2, 1, 1, nodes).stepTimeModel(0);
        BatchShape decode = new BatchShape().setDecode(4, 100);
        assertThat(model.breakdown(decode).communicationSeconds()).isCloseTo(640 * MICROS, within(1e-12));
        // Prefill 2000 tokens: 16,384,000 bytes, (16,384,000 − 65,536) / (16,777,216 − 65,536) of the way from 10 to
        // 30 µs = 29.530 µs; 64 of them = 1.88993 ms.
        BatchShape prefill = new BatchShape().addPrefillChunk(2000, 0);
        double one = 10 + 20.0 * (16_384_000 - 65_536) / (16_777_216 - 65_536);
        assertThat(model.breakdown(prefill).communicationSeconds()).isCloseTo(64 * one * MICROS, within(1e-12));
    }

    @Test
    void groupsAcrossNodesOrOnSlowerLinksOrOfUnmeasuredSizesUseTheRing() {
        GpuSpec gpu = measuredH100();
        BatchShape decode = new BatchShape().setDecode(4, 100);
        // GPUs 7 and 8 sit in two nodes: ring over the switch, 2 · 5 µs + 32,768 / 50e9 = 10.655 µs per all-reduce.
        Topology nodes = Topology.multiNode(16, 8, gpu.nvlinkBandwidthGBps(), 1, 50, 2.5);
        Deployment across = Deployment.of(LLAMA_7B, gpu, 2, 1, 1, nodes);
        assertThat(across.allReduce(java.util.List.of(new int[] {7, 8})).seconds(32_768))
                .isCloseTo((10 + 32_768 / 50e9 / MICROS) * MICROS, within(1e-12));
        // Links at a third of the GPU's NVLink figure: not the node the measurements ran on.
        Topology slow = Topology.fullMesh(2, gpu.nvlinkBandwidthGBps() / 3, 1);
        RooflineStepTimeModel onSlow = Deployment.of(LLAMA_7B, gpu, 2, 1, 1, slow).stepTimeModel(0);
        double ring = 2 * 1e-6 + 32_768 / (gpu.nvlinkBandwidthGBps() / 3 * 1e9);
        assertThat(onSlow.breakdown(decode).communicationSeconds()).isCloseTo(64 * ring, within(1e-12));
        // Four GPUs: no measurements for that size, so the ring.
        RooflineStepTimeModel four = Deployment.of(LLAMA_7B, gpu, 4, 1, 1, nodes).stepTimeModel(0);
        double ring4 = 6 * 1e-6 + 1.5 * 32_768 / (gpu.nvlinkBandwidthGBps() * 1e9);
        assertThat(four.breakdown(decode).communicationSeconds()).isCloseTo(64 * ring4, within(1e-12));
    }

    @Test
    void replicaStepTimeModelCostsItsAllReducesOnItsOwnGpus() {
        // tp 2 on GPUs {0, 1} (one NVLink hop): all-reduce = 2 · 1 µs + bytes / 600e9.
        // Prefill 2000 tokens: bytes = 2000 · 4096 · 2 = 16.384 MB → 2 + 27.307 = 29.307 µs; 2 per layer · 32 layers
        // = 64 · 29.307 µs = 1.8756 ms.
        RooflineStepTimeModel model = Deployment.of(LLAMA_7B, A100_80, 2, 1, 1, TWO_NODES).stepTimeModel(0);
        BatchShape prefill = new BatchShape().addPrefillChunk(2000, 0);
        assertThat(model.breakdown(prefill).communicationSeconds()).isCloseTo(1.8756e-3, within(0.0001e-3));
        assertThat(model.tensorParallel()).isEqualTo(2);
    }

    @Test
    void stagesOnDifferentNodesSendActivationsOverTheSwitch() {
        // tp 8, pp 2: stage 0 on GPUs 0..7, stage 1 on 8..15; rank i sends i → 8 + i over the switch:
        // 5 µs + 16.384 MB / 50e9 = 5 + 327.68 = 332.68 µs for a 2000-token prefill.
        RooflineStepTimeModel model = Deployment.of(LLAMA_7B, H100, 8, 2, 1, TWO_NODES).stepTimeModel(0);
        BatchShape prefill = new BatchShape().addPrefillChunk(2000, 0);
        assertThat(model.pipelineStages()).isEqualTo(2);
        assertThat(model.stageTransferSeconds(prefill)).isCloseTo(332.68 * MICROS, within(0.001 * MICROS));
    }

    @Test
    void memoryFitReportsTheKvBlocksOfAReplica() {
        // Llama-2-7B on A100-80GB: (72 − 12.551 − 2) GiB / (16 · 524,288 B = 8 MiB) = ⌊57.449 · 128⌋ = ⌊7353.5⌋ = 7353 blocks.
        Deployment d = Deployment.of(LLAMA_7B, A100_80, 1, 1, 4, TWO_NODES);
        assertThat(d.memoryFit()).isInstanceOf(MemoryFit.Fits.class);
        assertThat(d.kvBlocksPerReplica()).isEqualTo(7353);
    }

    @Test
    void modelThatDoesNotFitFailsWithTheMemoryArithmetic() {
        Deployment d = Deployment.of(CATALOG.model("Llama-2-70B"), A100_80, 1, 1, 1, TWO_NODES);
        assertThat(d.memoryFit()).isInstanceOf(MemoryFit.DoesNotFit.class);
        assertThatThrownBy(d::kvBlocksPerReplica)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("weights 128.48 GiB per GPU");
    }

    @Test
    void tensorParallelDegreeMustDivideTheAttentionHeads() {
        assertThatThrownBy(() -> Deployment.of(LLAMA3_8B, H100, 3, 1, 1, TWO_NODES))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tp must divide the attention heads (32) and KV heads (8) of Llama-3-8B, got 3");
    }

    @Test
    void tensorParallelDegreeMustDivideTheKvHeads() {
        // 32 query heads split 16 ways, but 8 KV heads do not.
        assertThatThrownBy(() -> Deployment.of(LLAMA3_8B, H100, 16, 1, 1, TWO_NODES))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tp must divide the attention heads (32) and KV heads (8) of Llama-3-8B, got 16");
    }

    @Test
    void pipelineDegreeMustNotExceedTheLayers() {
        assertThatThrownBy(() -> Deployment.of(LLAMA_7B, H100, 1, 33, 1, Topology.fullMesh(33, 600, 1)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pp must be in [1, 32] (the layers of Llama-2-7B), got 33");
    }

    @Test
    void replicasTimesTensorTimesPipelineMustFitTheCluster() {
        // 3 · 2 · 2 = 12 GPUs on an 8-GPU cluster.
        assertThatThrownBy(() -> Deployment.of(LLAMA_7B, H100, 2, 2, 3, Topology.fullMesh(8, 600, 1)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("replicas times tp times pp must be at most the cluster's 8 GPUs, got 3 · 2 · 2 = 12");
    }

    @Test
    void degreesAndUtilizationMustBePositive() {
        assertThatThrownBy(() -> Deployment.of(LLAMA_7B, H100, 0, 1, 1, TWO_NODES))
                .hasMessage("tp must be >= 1, got 0");
        assertThatThrownBy(() -> Deployment.of(LLAMA_7B, H100, 1, 1, 0, TWO_NODES))
                .hasMessage("replicas must be >= 1, got 0");
        assertThatThrownBy(() -> new Deployment(LLAMA_7B, H100, 1, 1, 1, 1, 0, 2, TWO_NODES, 0))
                .hasMessage("gpu_memory_utilization must be in (0, 1], got 0.0");
    }

    @Test
    void expertParallelRanksAreConsecutiveGroupsOfAStage() {
        // tp 8, ep 4 on Mixtral-8x22B: rank j of replica 1 (GPUs 8..15) is TP ranks 2j, 2j+1
        Deployment d = Deployment.of(CATALOG.model("Mixtral-8x22B"), H100, 8, 1, 4, 2, TWO_NODES);
        assertThat(d.expertRanks(1, 0)).isDeepEqualTo(new int[][] {{8, 9}, {10, 11}, {12, 13}, {14, 15}});
        assertThat(d.gpusUsed()).isEqualTo(16);
        assertThat(d.stepTimeModel(0).expertParallel()).isEqualTo(4);
    }

    @Test
    void expertParallelismNeedsExpertsAndMustDivideTensorParallelismAndTheExperts() {
        ModelSpec mixtral = CATALOG.model("Mixtral-8x7B");
        assertThatThrownBy(() -> Deployment.of(LLAMA_7B, H100, 2, 1, 2, 1, TWO_NODES))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ep must be 1 for Llama-2-7B, which has no experts (expert parallelism needs a"
                        + " mixture-of-experts model), got 2");
        assertThatThrownBy(() -> Deployment.of(mixtral, H100, 2, 1, 4, 1, TWO_NODES))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ep must divide tp (2): the experts of a stage are spread over ep ranks of tp/ep of its"
                        + " GPUs, got 4");
        // six experts cannot be spread over four ranks
        ModelSpec six = new ModelSpec("Six", 4, 1024, 8, 8, null, 4096, 1000, 4096, 2, null, true, false, null, null,
                new MixtureOfExperts(6, 2, 0, 1024, 0, 0), null);
        assertThatThrownBy(() -> Deployment.of(six, H100, 4, 1, 4, 1, TWO_NODES))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ep must divide the 6 experts of Six, got 4");
    }

    @Test
    void expertParallelismDoesNotShrinkTheWeightsPerGpu() {
        // the experts are spread over the same tp GPUs either way: Mixtral-8x7B does not fit on one H100 and fits on
        // two with the same memory arithmetic for ep 1 and ep 2
        ModelSpec mixtral = CATALOG.model("Mixtral-8x7B");
        MemoryFit tp2 = Deployment.of(mixtral, H100, 2, 1, 1, 1, TWO_NODES).memoryFit();
        MemoryFit ep2 = Deployment.of(mixtral, H100, 2, 1, 2, 1, TWO_NODES).memoryFit();
        assertThat(ep2.describe()).isEqualTo(tp2.describe());
        assertThat(Deployment.of(mixtral, H100, 1, 1, 1, 1, TWO_NODES).memoryFit())
                .isInstanceOf(MemoryFit.DoesNotFit.class);
    }
}
