package io.servesim.workloads.profile;

import io.servesim.core.config.ConfigException;

/**
 * Shared system prompts (the {@code shared_prefix} structure of a profile): there are {@code systemPrompts} unique
 * system prompts of {@code systemPromptTokens} tokens each, and {@code usersPerPrompt} users per system prompt. Each
 * session (each request of a single-turn profile) belongs to a user drawn uniformly from the
 * systemPrompts × usersPerPrompt users; its prompt is the user's system prompt followed by the question (the
 * profile's {@code prompt} length), and a later turn's prompt holds the system prompt, the earlier turns and their
 * answers, then the new question. The system prompt is the request's shared prefix ({@code prefixId} = its index).
 *
 * @param systemPromptTokens length of every system prompt (≥ 1)
 * @param systemPrompts      number of unique system prompts (≥ 1)
 * @param usersPerPrompt     users per system prompt (≥ 1; default 1)
 */
public record SharedPrefixSpec(Integer systemPromptTokens, Integer systemPrompts, Integer usersPerPrompt) {
    public SharedPrefixSpec {
        ConfigException.require(systemPromptTokens != null && systemPromptTokens >= 1, "system_prompt_tokens",
                "must be >= 1", systemPromptTokens);
        ConfigException.require(systemPrompts != null && systemPrompts >= 1, "system_prompts", "must be >= 1",
                systemPrompts);
        usersPerPrompt = usersPerPrompt == null ? 1 : usersPerPrompt;
        ConfigException.require(usersPerPrompt >= 1, "users_per_prompt", "must be >= 1", usersPerPrompt);
        ConfigException.require((long) systemPrompts * usersPerPrompt <= Integer.MAX_VALUE, "users_per_prompt",
                "times system_prompts must be at most " + Integer.MAX_VALUE, usersPerPrompt);
    }

    /** systemPrompts × usersPerPrompt. */
    public int users() {
        return systemPrompts * usersPerPrompt;
    }
}
