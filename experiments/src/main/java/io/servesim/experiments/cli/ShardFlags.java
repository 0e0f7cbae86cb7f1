package io.servesim.experiments.cli;

import io.servesim.core.config.ConfigException;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.plan.Shard;
import io.servesim.experiments.plan.ShardManifest;

import java.nio.file.Path;
import java.util.List;

/** The checks and meaning of {@code --shard I/N} and {@code --records-only}, for every command that has them. */
final class ShardFlags {
    private ShardFlags() {
    }

    /** Rejects combinations that cannot work; returns the shard (the whole run without {@code --shard}). */
    static Shard check(String shard, boolean recordsOnly, Path resume) {
        if (recordsOnly && resume == null) {
            throw new UserInputException("--records-only builds the files of a folder from its records: give --resume DIR");
        }
        if (recordsOnly && shard != null) {
            throw new UserInputException("--records-only builds the whole run's files; it does not go with --shard");
        }
        try {
            return shard == null ? Shard.WHOLE : Shard.parse(shard);
        } catch (ConfigException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    /** The part of the run these flags take; a shard's manifest records {@code originalArgs}, the command as typed. */
    static PlanRunner.Mode mode(Shard shard, boolean recordsOnly, List<String> originalArgs) {
        ShardManifest manifest = shard.partial() ? new ShardManifest(shard.toString(), originalArgs,
                Path.of("").toAbsolutePath().toString(), ServeSimVersion.current().asMap()) : null;
        return new PlanRunner.Mode(shard, manifest, recordsOnly);
    }
}
