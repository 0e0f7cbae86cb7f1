package io.servesim.analysis;

/**
 * A mistake in the input of an analysis (missing folder, no result CSVs, a CSV missing a
 * required column, an unreadable value). The message is one line that names the file and the
 * column or the fix, so the command line can print it as is and exit with status 2.
 */
public final class AnalysisException extends RuntimeException {

    public AnalysisException(String message) {
        super(message);
    }

    public AnalysisException(String message, Throwable cause) {
        super(message, cause);
    }
}
