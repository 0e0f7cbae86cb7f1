package io.servesim.experiments.plan;

import io.servesim.core.config.ConfigException;

/**
 * A plan cannot run as asked (a resumed folder made with other settings, step 3 without step 2's results,
 * …): a configuration mistake, reported in one line with exit status 2.
 */
public final class PlanException extends ConfigException {
    private static final long serialVersionUID = 1L;

    public PlanException(String message) {
        super(message);
    }
}
