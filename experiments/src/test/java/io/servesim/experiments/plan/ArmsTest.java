package io.servesim.experiments.plan;

import io.servesim.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArmsTest {
    @Test
    void listsAreAxesWhoseProductVariesTheFirstSlowest() {
        Arms arms = Arms.parse(List.of("scheduler.type=continuous,multi_bin", "engine.max_num_seqs=64",
                "deployment.tp=1,2"), "base");
        assertThat(arms.common()).containsExactly("engine.max_num_seqs=64");
        assertThat(arms.arms()).extracting(Arms.Arm::label).containsExactly("type=continuous, tp=1",
                "type=continuous, tp=2", "type=multi_bin, tp=1", "type=multi_bin, tp=2");
        assertThat(arms.arms().get(1).key()).isEqualTo("continuous-2");
        assertThat(arms.assignments(arms.arms().get(1))).containsExactly("engine.max_num_seqs=64",
                "scheduler.type=continuous", "deployment.tp=2");
    }

    @Test
    void oneAxisIsLabelledByItsValuesAndNoAxisIsOneArm() {
        assertThat(Arms.parse(List.of("scheduler.type=continuous,dynamic"), "base").arms())
                .extracting(Arms.Arm::label).containsExactly("continuous", "dynamic");
        assertThat(Arms.parse(List.of("deployment.tp=2"), "scenario").arms())
                .extracting(Arms.Arm::label).containsExactly("scenario");
    }

    @Test
    void aNumberOrBooleanAloneSaysNothingSoItsKeyLabelsIt() {
        assertThat(Arms.parse(List.of("engine.mixed_batches=true,false"), "base").arms())
                .extracting(Arms.Arm::label).containsExactly("mixed_batches=true", "mixed_batches=false");
        Arms seqs = Arms.parse(List.of("engine.max_num_seqs=64,256"), "base");
        assertThat(seqs.arms()).extracting(Arms.Arm::label).containsExactly("max_num_seqs=64", "max_num_seqs=256");
        assertThat(seqs.arms()).extracting(Arms.Arm::key).containsExactly("64", "256");
    }

    @Test
    void aYamlListIsOneValueNotAnAxis() {
        Arms arms = Arms.parse(List.of("workload.tags=[a,b]"), "base");
        assertThat(arms.arms()).hasSize(1);
        assertThat(arms.common()).containsExactly("workload.tags=[a,b]");
    }

    @Test
    void aValueListedTwiceIsAMistake() {
        assertThatThrownBy(() -> Arms.parse(List.of("scheduler.type=continuous,continuous"), "base"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listed twice");
    }
}
