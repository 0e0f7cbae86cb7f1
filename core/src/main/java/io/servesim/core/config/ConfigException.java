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

    /**
     * {@code text} safe to print on a terminal: control characters, undecodable bytes and characters outside the
     * printable range become {@code ?}, and the text is cut after 600 characters, so a binary input is never echoed.
     */
    public static String printable(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_PRINTED + 1));
        for (int i = 0; i < text.length() && sb.length() < MAX_PRINTED; i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) && c != '\n';
            boolean unprintable = c == '\ufffd' || Character.isSurrogate(c) || !Character.isDefined(c)
                    || (c >= 0x7f && c < 0x100 && !Character.isLetter(c));
            sb.append(control || unprintable ? '?' : c);
        }
        return text.length() > MAX_PRINTED ? sb + "…" : sb.toString();
    }

    private static final int MAX_PRINTED = 600;

    /** Throws unless {@code condition}; the message is {@code "<field> <expectation>, got <value>"}. */
    public static void require(boolean condition, String field, String expectation, Object value) {
        if (!condition) {
            throw new ConfigException(field + " " + expectation + ", got " + value);
        }
    }

    /**
     * Gathers the mistakes of independent parts of a configuration, so that all of them are reported at once: one
     * line each, in the order found.
     */
    public static final class Collector {
        private final java.util.List<String> messages = new java.util.ArrayList<>();

        public void add(ConfigException mistake) {
            for (String line : mistake.getMessage().split("\n")) {
                if (!messages.contains(line)) {
                    messages.add(line);
                }
            }
        }

        /** The value {@code part} gives, or null after recording its mistake. */
        public <T> T attempt(java.util.function.Supplier<T> part) {
            try {
                return part.get();
            } catch (ConfigException mistake) {
                add(mistake);
                return null;
            }
        }

        /** Throws one {@link ConfigException} listing every mistake, one per line, if there was any. */
        public void throwIfAny() {
            if (!messages.isEmpty()) {
                throw new ConfigException(String.join("\n", messages));
            }
        }
    }
}
