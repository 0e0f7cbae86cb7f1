package io.servesim.core.config;

/**
 * A user mistake in a configuration, a flag or an input file. The message names the field
 * (as a dotted path, e.g. {@code workload.profiles[2].prompt.sigma}) and says what is expected;
 * the command line prints it on one line and exits with status 2.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Throws unless {@code condition}; the message is {@code "<field> <expectation>, got <value>"}. */
    public static void require(boolean condition, String field, String expectation, Object value) {
        if (!condition) {
            throw new ConfigException(field + " " + expectation + ", got " + value);
        }
    }
}
