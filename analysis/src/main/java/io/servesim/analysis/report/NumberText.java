package io.servesim.analysis.report;

import io.servesim.analysis.findings.Estimate;
import io.servesim.analysis.findings.RelativeGain;
import java.util.Locale;

/** How numbers read in the findings: magnitudes, percentages, estimates with CIs, gains with significance. */
public final class NumberText {

    private static final String MINUS = "−";

    private NumberText() {
    }

    /** A magnitude with about four significant digits; "n/a" for null or NaN. */
    public static String number(Double value) {
        if (value == null || !Double.isFinite(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        String text;
        if (abs >= 100) {
            text = String.format(Locale.ROOT, "%,.1f", value);
        } else if (abs >= 1) {
            text = String.format(Locale.ROOT, "%.2f", value);
        } else if (abs >= 0.001 || abs == 0.0) {
            text = String.format(Locale.ROOT, "%.3f", value);
        } else {
            text = String.format(Locale.ROOT, "%.2e", value);
        }
        return text.replace("-", MINUS);
    }

    /** A count with thousands separators: 1,000,000. */
    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A fraction as a percentage: 0.052 → "5.2 %". */
    public static String percent(Double fraction) {
        if (fraction == null || !Double.isFinite(fraction)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100).replace("-", MINUS);
    }

    /** A signed percentage: 0.2 → "+20.0 %", −0.25 → "−25.0 %". */
    public static String signedPercent(double fraction) {
        return String.format(Locale.ROOT, "%+.1f %%", fraction * 100).replace("-", MINUS);
    }

    /** "120.0" or "120.0 (95 % CI 115.0 to 125.0)". */
    public static String estimate(Estimate estimate) {
        if (estimate == null) {
            return "n/a";
        }
        if (!estimate.hasInterval()) {
            return number(estimate.mean());
        }
        return number(estimate.mean()) + " (95 % CI " + number(estimate.ciLow()) + " to " + number(estimate.ciHigh()) + ")";
    }

    /**
     * "+20.0 % throughput (95 % CI +17.5 % to +22.5 %, significant)"; from a near-zero base the absolute
     * difference instead: "n/a (base ≈ 0), +9.00 throughput". {@code what} may be empty (a table cell).
     */
    public static String gain(RelativeGain gain, String what) {
        String label = what.isEmpty() ? "" : " " + what;
        if (gain == null) {
            return "n/a" + label;
        }
        if (gain.baseNearZero() || !Double.isFinite(gain.gain())) {
            return "n/a (base ≈ 0), " + signed(gain.difference()) + label;
        }
        String head = signedPercent(gain.gain()) + label;
        if (gain.significant() == null) {
            return head + " (single replication: no CI)";
        }
        return head + " (95 % CI " + signedPercent(gain.ciLow()) + " to " + signedPercent(gain.ciHigh()) + ", "
                + (gain.paired() ? "paired, " : "") + (gain.significant() ? "significant" : "not significant") + ")";
    }

    /** A signed magnitude: +9.00, −0.120. */
    public static String signed(double value) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        return (value >= 0 ? "+" : MINUS) + number(Math.abs(value));
    }

    /** A fraction as a percentage without decimals when it is whole: 0.05 → "5 %", 0.025 → "2.5 %". */
    public static String shortPercent(double fraction) {
        double percent = fraction * 100;
        return (percent == Math.rint(percent) ? String.format(Locale.ROOT, "%.0f", percent)
                : String.format(Locale.ROOT, "%.1f", percent)) + " %";
    }
}
