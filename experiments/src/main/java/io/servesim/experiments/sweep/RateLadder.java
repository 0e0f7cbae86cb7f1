package io.servesim.experiments.sweep;

import io.servesim.core.config.ConfigException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The offered arrival rates of a sweep, in requests per second: {@code START:STOP:STEP} (STOP included when the
 * steps reach it, e.g. {@code 2:40:2} is 2, 4, …, 40) or a list {@code 1,2,5,10}. Steps are counted in decimal, so
 * {@code 0.1:0.3:0.1} is 0.1, 0.2, 0.3 and not 0.30000000000000004.
 *
 * @param ratesRps the rates, ascending, each > 0
 */
public record RateLadder(List<Double> ratesRps) {
    /** The most rates one sweep may have. */
    public static final int MAX_RATES = 1000;

    public RateLadder {
        ratesRps = List.copyOf(ratesRps);
    }

    /** Parses {@code --rates}; a mistake names the flag and the form it expects. */
    public static RateLadder parse(String text) {
        String form = " (START:STOP:STEP, e.g. 2:40:2, or a list, e.g. 1,2,5,10)";
        List<Double> rates = new ArrayList<>();
        try {
            if (text.contains(":")) {
                String[] parts = text.split(":", -1);
                if (parts.length != 3) {
                    throw new ConfigException("--rates " + text + ": expected three numbers" + form);
                }
                BigDecimal start = new BigDecimal(parts[0].trim());
                BigDecimal stop = new BigDecimal(parts[1].trim());
                BigDecimal step = new BigDecimal(parts[2].trim());
                if (step.signum() <= 0 || stop.compareTo(start) < 0) {
                    throw new ConfigException("--rates " + text + ": STEP must be > 0 and STOP >= START" + form);
                }
                for (BigDecimal rate = start; rate.compareTo(stop) <= 0 && rates.size() <= MAX_RATES; rate = rate.add(step)) {
                    rates.add(rate.doubleValue());
                }
            } else {
                for (String part : text.split(",", -1)) {
                    rates.add(new BigDecimal(part.trim()).doubleValue());
                }
            }
        } catch (NumberFormatException e) {
            throw new ConfigException("--rates " + text + ": not a number" + form);
        }
        if (rates.size() > MAX_RATES) {
            throw new ConfigException("--rates " + text + ": more than " + MAX_RATES + " rates; use a larger STEP");
        }
        for (int i = 0; i < rates.size(); i++) {
            if (!(rates.get(i) > 0)) {
                throw new ConfigException("--rates " + text + ": every rate must be > 0 req/s, got " + rates.get(i));
            }
            if (i > 0 && rates.get(i) <= rates.get(i - 1)) {
                throw new ConfigException("--rates " + text + ": list the rates in ascending order, each once");
            }
        }
        return new RateLadder(rates);
    }
}
