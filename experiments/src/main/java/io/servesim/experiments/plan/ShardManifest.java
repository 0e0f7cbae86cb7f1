package io.servesim.experiments.plan;

import java.util.List;
import java.util.Map;

/**
 * What a shard's folder says about the run it is part of ({@value PlanFolder#SHARD_MANIFEST}): which shard, the
 * command as typed (so that {@code servesim merge} can build the whole run's files from the records of every shard),
 * the folder that command's relative paths resolve against, and the ServeSim that ran it.
 *
 * @param shard      {@code I/N}
 * @param arguments  the command's arguments as typed, {@code --shard} and the output folder included
 * @param workingDir absolute working folder of the shard's process
 * @param servesim   release and commit ({@code ServeSimVersion.asMap})
 */
public record ShardManifest(String shard, List<String> arguments, String workingDir, Map<String, Object> servesim) {
    public ShardManifest {
        arguments = List.copyOf(arguments);
        servesim = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(servesim));
    }

    public Shard parsedShard() {
        return Shard.parse(shard);
    }
}
