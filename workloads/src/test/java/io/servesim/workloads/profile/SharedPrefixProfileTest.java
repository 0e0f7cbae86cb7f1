package io.servesim.workloads.profile;

import io.servesim.core.config.ConfigException;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.workloads.Presets;
import io.servesim.workloads.WorkloadDescription;
import io.servesim.workloads.WorkloadSpec;
import io.servesim.workloads.WorkloadYaml;
import io.servesim.workloads.Workloads;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class SharedPrefixProfileTest {

    private static final String SINGLE_TURN = """
            requests: 20000
            rate_per_second: 10
            profiles:
              - name: assistant
                share: 1.0
                shared_prefix: {system_prompt_tokens: 600, system_prompts: 8, users_per_prompt: 4}
                prompt: {type: fixed, value: 40}
                output: {type: fixed, value: 20}
            """;

    private static final String CHAT = """
            requests: 4000
            rate_per_second: 10
            profiles:
              - name: chat
                share: 1.0
                shared_prefix: {system_prompt_tokens: 300, system_prompts: 5}
                prompt: {type: fixed, value: 40}
                output: {type: fixed, value: 20}
                session: {turns: {type: fixed, value: 3}, think_time_seconds: 5}
            """;

    @Test
    void everyPromptIsItsSystemPromptFollowedByTheQuestion() {
        List<RequestSpec> requests = drain(WorkloadYaml.parse(SINGLE_TURN), 7);
        int[] perPrompt = new int[8];
        for (RequestSpec r : requests) {
            assertThat(r.prefixId()).isBetween(0L, 7L);
            assertThat(r.prefixTokens()).isEqualTo(600);
            assertThat(r.promptTokens()).isEqualTo(640); // 600 system + 40 question
            assertThat(r.sessionId()).isEqualTo(-1);
            perPrompt[(int) r.prefixId()]++;
        }
        // users are uniform over 8 × 4, so each system prompt gets 1/8 of 20,000 = 2,500 (± 4 σ ≈ ± 190)
        for (int count : perPrompt) {
            assertThat(count).isBetween(2310, 2690);
        }
    }

    @Test
    void aLaterTurnHoldsTheSystemPromptTheEarlierTurnsAndTheirAnswers() {
        List<RequestSpec> requests = drain(WorkloadYaml.parse(CHAT), 3);
        Map<Long, RequestSpec> previous = new HashMap<>();
        int laterTurns = 0;
        for (RequestSpec r : requests) {
            assertThat(r.sessionId()).isNotNegative();
            assertThat(r.prefixTokens()).isEqualTo(300);
            RequestSpec before = previous.put(r.sessionId(), r);
            if (r.turn() == 0) {
                assertThat(before).isNull();
                assertThat(r.promptTokens()).isEqualTo(340);
            } else {
                laterTurns++;
                // turn k+1 = turn k's prompt + its 20-token answer + a new 40-token question: 340, 400, 460
                assertThat(before.turn()).isEqualTo(r.turn() - 1);
                assertThat(r.promptTokens()).isEqualTo(before.promptTokens() + 20 + 40);
                assertThat(r.prefixId()).as("a session keeps its system prompt").isEqualTo(before.prefixId());
            }
        }
        assertThat(laterTurns).isGreaterThan(requests.size() / 2);
    }

    @Test
    void aWorkloadWithoutSharedPrefixHasNoPrefixIdentity() {
        WorkloadSpec mixed = Presets.load("mixed").withRequests(500);
        assertThat(drain(mixed, 1)).allSatisfy(r -> {
            assertThat(r.prefixId()).isEqualTo(-1);
            assertThat(r.prefixTokens()).isZero();
        });
    }

    @Test
    void describeReportsTheStructureAndTheSampledSharedFraction() {
        WorkloadDescription d = WorkloadDescription.describe(WorkloadYaml.parse(SINGLE_TURN), 1, 5_000);
        WorkloadDescription.SharedPrefixSample s = d.profiles().get(0).sharedPrefix();
        assertThat(s.distinctPrefixes()).isEqualTo(8);
        assertThat(s.sharedTokenFraction()).isCloseTo(600.0 / 640, offset(1e-12));
        assertThat(d.toTable()).contains("shared prefix of assistant: 8 system prompts of 600 tokens, 4 users each");
    }

    @Test
    void sharedPrefixPresetsCarryTheirStructure() {
        RequestSpec first = drain(Presets.load("shared_prefix").withRequests(1), 1).get(0);
        assertThat(first.prefixTokens()).isEqualTo(1024);
        assertThat(first.promptTokens()).isGreaterThan(1024);
        RequestSpec chat = drain(Presets.load("shared_prefix_chat").withRequests(1), 1).get(0);
        assertThat(chat.prefixTokens()).isEqualTo(1024);
        assertThat(chat.sessionId()).isNotNegative();
    }

    @Test
    void systemPromptsMustBePositive() {
        assertThatThrownBy(() -> WorkloadYaml.parse(SINGLE_TURN.replace("system_prompts: 8", "system_prompts: 0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("profiles[0].shared_prefix.system_prompts must be >= 1, got 0");
    }

    private static List<RequestSpec> drain(WorkloadSpec spec, long seed) {
        WorkloadSource source = Workloads.create(spec, new SplittableRandom(seed));
        List<RequestSpec> requests = new ArrayList<>();
        for (RequestSpec r = source.next(); r != null; r = source.next()) {
            requests.add(r);
        }
        return requests;
    }
}
