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

    /** "+20.0 % throughput (95 % CI +17.5 % to +22.5 %, significant)". */
    public static String gain(RelativeGain gain, String what) {
        if (gain == null) {
            return "n/a " + what;
        }
        String head = signedPercent(gain.gain()) + " " + what;
        if (gain.significant() == null) {
            return head + " (single replication: no CI)";
        }
        return head + " (95 % CI " + signedPercent(gain.ciLow()) + " to " + signedPercent(gain.ciHigh()) + ", "
                + (gain.significant() ? "significant" : "not significant") + ")";
    }
}
