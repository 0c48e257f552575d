package io.github.natgrad.data;

import java.nio.file.Path;

/** A data file that cannot be read as asked; the message starts with {@code file:line:}. */
public class MalformedDataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;

    /**
     * @param file    the file
     * @param line    the 1-based line, or 0 when the problem is not on one line
     * @param message what is wrong and what to do
     */
    public MalformedDataException(Path file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The 1-based line, or 0 when the problem is not on one line. */
    public long line() {
        return line;
    }
}
