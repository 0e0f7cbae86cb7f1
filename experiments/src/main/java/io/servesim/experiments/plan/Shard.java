package io.servesim.experiments.plan;

import io.servesim.core.config.ConfigException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a run one process takes: shard {@code index} of {@code count}. The k-th cell of each batch the runner
 * is given (in plan order) belongs to shard k mod count, and so does the k-th capacity search the run meets (in the
 * order of its first cell); what every shard must know (the cells a later step derives a value from, the searches a
 * load relative to capacity is set from) runs in every shard. The whole run is shard 0 of 1.
 *
 * @param index 0 … count − 1
 * @param count shards of the run, at least 1
 */
public record Shard(int index, int count) {
    /** The whole run in one process. */
    public static final Shard WHOLE = new Shard(0, 1);
    private static final Pattern TEXT = Pattern.compile("(\\d{1,6})/(\\d{1,6})");

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new ConfigException("--shard must be I/N with 0 <= I < N, got " + index + "/" + count);
        }
    }

    /** Reads {@code I/N}, e.g. {@code 2/8}. */
    public static Shard parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new ConfigException("--shard must be I/N (shard I of N, counted from 0, e.g. 0/4), got '" + text + "'");
        }
        return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Whether the item at {@code position} of a run's deterministic order belongs to this shard. */
    public boolean owns(int position) {
        return position % count == index;
    }

    /** Whether this is only a part of the run (its folder then holds records, not result files). */
    public boolean partial() {
        return count > 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
