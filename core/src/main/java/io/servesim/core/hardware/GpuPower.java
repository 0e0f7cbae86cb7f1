package io.servesim.core.hardware;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.servesim.core.config.ConfigException;

/**
 * The power a GPU draws by what it is doing, for the energy of a run, by one of two models ({@link #model}).
 *
 * <p>{@code state} (the default): a GPU is idle, or busy in an iteration that computes prefill tokens (prefill or
 * mixed: compute-bound, near the board limit), or busy in a decode-only iteration (memory-bound, well below it).
 * Power in each state is constant:
 * <pre>
 *   P_idle = idleWatts,   P_prefill = prefillFraction · TDP,   P_decode = decodeFraction · TDP
 * </pre>
 * and a GPU's energy over a run of horizon H is P_idle · (H − busy) + P_prefill · busy_prefill + P_decode · busy_decode.
 *
 * <p>{@code utilisation}: power grows with the work done, linearly in the model FLOPs and HBM bytes utilisation of the
 * moment, P = P_idle + (P_max − P_idle) · (a · MFU + b · MBU) with P_max = P_prefill (TDP for the bundled GPUs, the
 * cap under a power cap; a = mfuWeight, b = mbuWeight, fitted to Splitwise's measurements). Being linear, its integral
 * over a run needs only the run's MFU and MBU: E = H · (P_idle + (P_max − P_idle) · (a · MFU_H + b · MBU_H)), exact
 * over jumped decode runs. It does not clamp at P_max: an iteration both compute- and bandwidth-heavy can draw above it
 * (docs/disaggregation.md).
 *
 * <p>Under a power cap c (a fraction of TDP) no state draws more than c · TDP, and the compute throughput of the GPU
 * drops by {@link #computeScale} (see there).
 *
 * @param tdpWatts        the board power limit (thermal design power), W
 * @param idleWatts       draw with the model loaded and no kernel running, W
 * @param prefillFraction draw during prefill (or mixed) iterations as a fraction of TDP, in (0, 1]
 * @param decodeFraction  draw during decode-only iterations as a fraction of TDP, in (0, 1]
 * @param mfuWeight       a of the utilisation model, ≥ 0; null when the entry has no utilisation fit
 * @param mbuWeight       b of the utilisation model, ≥ 0; null likewise
 * @param model           {@value #STATE} (default) or {@value #UTILISATION}
 * @param source          where the numbers come from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GpuPower(double tdpWatts, double idleWatts, double prefillFraction, double decodeFraction,
                       Double mfuWeight, Double mbuWeight, String model, String source) {
    /** The power models, by name. */
    public static final String STATE = "state";
    public static final String UTILISATION = "utilisation";

    /**
     * Exponent of the power cap's effect on compute throughput: with the dynamic power headroom
     * h = (cap − P_idle) / (P_prefill − P_idle) below 1, compute-bound work runs at h^α of full speed. Fitted to
     * Splitwise's power-capped H100 rows (perf_model.csv, hardware h100-80gb-pcap: prompt time × 1.30, token time
     * × 1.00 against h100-80gb), read as a cap at 70 % of TDP on the catalog H100-SXM: h = (490 − 70) / (700 − 70),
     * α = ln(1 / 1.30) / ln(h) = 0.647 (PowerCapShapeTest recomputes it from the shipped rows).
     */
    public static final double CAP_EXPONENT = 0.647;

    public GpuPower {
        ConfigException.require(tdpWatts > 0, "power.tdp_watts", "must be > 0", tdpWatts);
        ConfigException.require(idleWatts >= 0 && idleWatts < tdpWatts, "power.idle_watts",
                "must be in [0, tdp_watts (" + tdpWatts + "))", idleWatts);
        ConfigException.require(prefillFraction > 0 && prefillFraction <= 1 && prefillFraction * tdpWatts >= idleWatts,
                "power.prefill_fraction", "must be in (0, 1] and draw at least idle_watts", prefillFraction);
        ConfigException.require(decodeFraction > 0 && decodeFraction <= 1 && decodeFraction * tdpWatts >= idleWatts,
                "power.decode_fraction", "must be in (0, 1] and draw at least idle_watts", decodeFraction);
        ConfigException.require(source != null && !source.isBlank(), "power.source",
                "must say where the numbers come from", source);
        ConfigException.require(mfuWeight == null || (mfuWeight >= 0 && Double.isFinite(mfuWeight)), "power.mfu_weight",
                "must be >= 0", mfuWeight);
        ConfigException.require(mbuWeight == null || (mbuWeight >= 0 && Double.isFinite(mbuWeight)), "power.mbu_weight",
                "must be >= 0", mbuWeight);
        model = model == null ? STATE : model;
        ConfigException.require(model.equals(STATE) || model.equals(UTILISATION), "power.model",
                "must be one of " + STATE + ", " + UTILISATION, model);
        ConfigException.require(!model.equals(UTILISATION) || (mfuWeight != null && mbuWeight != null),
                "power.model", "utilisation needs mfu_weight and mbu_weight in the GPU's power block", model);
    }

    /** A GPU with power by state only. */
    public GpuPower(double tdpWatts, double idleWatts, double prefillFraction, double decodeFraction, String source) {
        this(tdpWatts, idleWatts, prefillFraction, decodeFraction, null, null, null, source);
    }

    /** The same figures with power by {@code newModel} ({@value #STATE} or {@value #UTILISATION}). */
    public GpuPower withModel(String newModel) {
        return new GpuPower(tdpWatts, idleWatts, prefillFraction, decodeFraction, mfuWeight, mbuWeight, newModel, source);
    }

    /** Whether power is by utilisation (else by state). */
    public boolean byUtilisation() {
        return model.equals(UTILISATION);
    }

    public double prefillWatts() {
        return prefillFraction * tdpWatts;
    }

    public double decodeWatts() {
        return decodeFraction * tdpWatts;
    }

    /**
     * Energy in J over {@code horizonSeconds} of a GPU busy {@code prefillSeconds} in prefill and {@code decodeSeconds}
     * in decode iterations, with model FLOPs and memory bandwidth utilisation {@code mfu} and {@code mbu} over the
     * horizon, by the power model: by state from the busy times, by utilisation from MFU and MBU.
     */
    public double energyJoules(double horizonSeconds, double prefillSeconds, double decodeSeconds, double mfu,
                               double mbu) {
        if (byUtilisation()) {
            return horizonSeconds * utilisationWatts(mfu, mbu);
        }
        double idle = Math.max(0, horizonSeconds - prefillSeconds - decodeSeconds);
        return idleWatts * idle + prefillWatts() * prefillSeconds + decodeWatts() * decodeSeconds;
    }

    /** Power at utilisations {@code mfu} and {@code mbu}: P_idle + (P_max − P_idle) · (a · MFU + b · MBU), W. */
    public double utilisationWatts(double mfu, double mbu) {
        return idleWatts + (prefillWatts() - idleWatts) * (mfuWeight * mfu + mbuWeight * mbu);
    }

    /**
     * The same GPU capped at {@code capFraction} of TDP: no state draws more than the cap (a cap below idle is a
     * {@link ConfigException}).
     */
    public GpuPower capped(double capFraction) {
        ConfigException.require(capFraction > 0 && capFraction <= 1 && capFraction * tdpWatts > idleWatts,
                "power_cap_fraction", "must be in (0, 1] and above idle (" + idleWatts + " W of " + tdpWatts
                        + " W TDP)", capFraction);
        return new GpuPower(tdpWatts, idleWatts, Math.min(prefillFraction, capFraction),
                Math.min(decodeFraction, capFraction), mfuWeight, mbuWeight, model,
                source + "; capped at " + capFraction + " of TDP");
    }

    /**
     * The fraction of its peak compute throughput the GPU keeps under a cap at {@code capFraction} of TDP:
     * min(1, h^{@value #CAP_EXPONENT}) with h = (cap − P_idle) / (P_prefill − P_idle). Memory bandwidth is unchanged,
     * so memory-bound decode keeps its speed while compute-bound prefill slows, as Splitwise measured.
     */
    public double computeScale(double capFraction) {
        double headroom = (capFraction * tdpWatts - idleWatts) / (prefillWatts() - idleWatts);
        return headroom >= 1 ? 1 : Math.pow(headroom, CAP_EXPONENT);
    }
}
