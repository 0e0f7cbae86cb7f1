package io.servesim.workloads.dist;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.servesim.core.config.ConfigException;

import java.nio.file.Path;
import java.util.List;

/**
 * A token-count distribution as a config gives it, chosen by {@code type:}. Optional {@code min} and
 * {@code max} bound every draw (default 1 and {@link LengthDistribution#MAX_TOKENS}); draws are rounded to
 * integers. Each record validates its own fields and names them in its errors.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LengthSpec.Fixed.class, name = "fixed"),
        @JsonSubTypes.Type(value = LengthSpec.Uniform.class, name = "uniform"),
        @JsonSubTypes.Type(value = LengthSpec.Normal.class, name = "normal"),
        @JsonSubTypes.Type(value = LengthSpec.LogNormal.class, name = "lognormal"),
        @JsonSubTypes.Type(value = LengthSpec.Exponential.class, name = "exponential"),
        @JsonSubTypes.Type(value = LengthSpec.Zipf.class, name = "zipf"),
        @JsonSubTypes.Type(value = LengthSpec.Empirical.class, name = "empirical")
})
public sealed interface LengthSpec {

    /** Builds the distribution (reading a file for {@code empirical} with a {@code path}). */
    LengthDistribution create();

    /** Always {@code value}. */
    record Fixed(Integer value) implements LengthSpec {
        public Fixed {
            ConfigException.require(value != null && value >= 1, "value", "must be an integer >= 1", value);
        }

        @Override
        public LengthDistribution create() {
            return new FixedLength(value);
        }
    }

    /** Every integer in [min, max] equally likely: round(X) with X uniform on [min − ½, max + ½). */
    record Uniform(Integer min, Integer max) implements LengthSpec {
        public Uniform {
            ConfigException.require(min != null, "min", "is required", min);
            ConfigException.require(max != null, "max", "is required", max);
            checkBounds(min, max);
        }

        @Override
        public LengthDistribution create() {
            return new ContinuousLength(new UniformVariable(min - 0.5, max + 0.5), min, max);
        }
    }

    /**
     * Normal(mu, sigma) truncated to [min, max]: round(X) with X normal conditioned on min − ½ ≤ X &lt; max + ½
     * (draws outside are redrawn, so no mass piles up at the bounds). The window must hold ≥ 1 % of the mass.
     */
    record Normal(Double mu, Double sigma, Integer min, Integer max) implements LengthSpec {
        public Normal {
            ConfigException.require(mu != null && Double.isFinite(mu), "mu", "must be a finite number", mu);
            requirePositive("sigma", sigma);
            checkBounds(min, max);
            double mass = TruncatedNormalVariable.windowMass(mu, sigma, low(min) - 0.5, high(max) + 0.5);
            ConfigException.require(mass >= TruncatedNormalVariable.MIN_WINDOW_MASS, "mu",
                    "and sigma must put at least 1% of the normal's mass inside [min, max] = ["
                            + low(min) + ", " + high(max) + "] (mass " + mass + ")", mu);
        }

        @Override
        public LengthDistribution create() {
            return new ContinuousLength(new TruncatedNormalVariable(mu, sigma, low(min) - 0.5, high(max) + 0.5),
                    low(min), high(max));
        }
    }

    /**
     * round(clamp(exp(mu + sigma·Z), min, max)): mu and sigma are the mean and standard deviation of ln X,
     * used directly (LogNormal(8.7, 0.17) has mean exp(8.7 + 0.17²/2) ≈ 6,080 tokens).
     */
    record LogNormal(Double mu, Double sigma, Integer min, Integer max) implements LengthSpec {
        public LogNormal {
            ConfigException.require(mu != null && Double.isFinite(mu), "mu", "must be a finite number", mu);
            requirePositive("sigma", sigma);
            checkBounds(min, max);
        }

        @Override
        public LengthDistribution create() {
            return new ContinuousLength(new LogNormalVariable(mu, sigma), low(min), high(max));
        }
    }

    /** round(clamp(X, min, max)) with X exponential of the given mean. */
    record Exponential(Double mean, Integer min, Integer max) implements LengthSpec {
        public Exponential {
            requirePositive("mean", mean);
            checkBounds(min, max);
        }

        @Override
        public LengthDistribution create() {
            return new ContinuousLength(new ExponentialVariable(mean), low(min), high(max));
        }
    }

    /** P(N = k) ∝ k^(−exponent) for k in [min, max]; {@code max} is required. */
    record Zipf(Double exponent, Integer min, Integer max) implements LengthSpec {
        public Zipf {
            requirePositive("exponent", exponent);
            ConfigException.require(max != null, "max", "is required", max);
            checkBounds(min, max);
        }

        @Override
        public LengthDistribution create() {
            int first = low(min);
            int[] values = new int[max - first + 1];
            double[] weights = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = first + i;
                weights[i] = Math.pow(values[i], -exponent);
            }
            return TabulatedLength.ofWeights(values, weights);
        }
    }

    /**
     * The empirical distribution of {@code values}, or of the column {@code column} of the CSV file {@code path}
     * (relative paths against the working directory); each value is clamped to [min, max].
     */
    record Empirical(List<Integer> values, String path, String column, Integer min, Integer max)
            implements LengthSpec {
        public Empirical {
            ConfigException.require((values == null) != (path == null), "values",
                    "or path must be given (exactly one of them)", values == null ? "neither" : "both");
            if (values != null) {
                ConfigException.require(!values.isEmpty(), "values", "must not be empty", values);
                for (Integer v : values) {
                    ConfigException.require(v != null && v >= 1, "values", "must all be integers >= 1", values);
                }
                values = List.copyOf(values);
            } else {
                ConfigException.require(column != null && !column.isBlank(), "column",
                        "is required with path", column);
            }
            checkBounds(min, max);
        }

        @Override
        public LengthDistribution create() {
            int[] sample = values != null
                    ? values.stream().mapToInt(Integer::intValue).toArray()
                    : TokenColumn.read(Path.of(path), column);
            int low = low(min);
            int high = high(max);
            for (int i = 0; i < sample.length; i++) {
                sample[i] = Math.max(low, Math.min(high, sample[i]));
            }
            return TabulatedLength.ofSample(sample);
        }
    }

    private static void requirePositive(String field, Double value) {
        ConfigException.require(value != null && value > 0 && Double.isFinite(value), field,
                "must be > 0", value);
    }

    private static void checkBounds(Integer min, Integer max) {
        ConfigException.require(min == null || min >= 1, "min", "must be >= 1", min);
        ConfigException.require(max == null || max <= LengthDistribution.MAX_TOKENS, "max",
                "must be <= " + LengthDistribution.MAX_TOKENS, max);
        ConfigException.require(max == null || max >= low(min), "max", "must be >= min (" + low(min) + ")", max);
    }

    private static int low(Integer min) {
        return min == null ? 1 : min;
    }

    private static int high(Integer max) {
        return max == null ? LengthDistribution.MAX_TOKENS : max;
    }
}
