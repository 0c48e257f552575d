package io.github.natgrad.bench.datasets;

/**
 * A data file that is missing, does not match its expected shape or checksum, or holds a malformed line.
 * The message names the file (and the line, for a malformed one) and says what to do.
 */
public final class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the given message. */
    public DatasetException(String message) {
        super(message);
    }

    /** An exception with the given message and cause. */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
