package io.github.natgrad.bench.ablate;

/**
 * A study file that cannot be run, with the file and the line of the first problem found, e.g.
 * {@code studies/x.yaml line 12: unknown value 'kfac' for axis structure; known: [dense]}.
 */
public final class StudyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;

    /** An error at {@code line} (0 when unknown) of {@code file}. */
    public StudyException(String file, int line, String message) {
        super(file + (line > 0 ? " line " + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** The study file. */
    public String file() {
        return file;
    }

    /** The line of the error, 0 when unknown. */
    public int line() {
        return line;
    }
}
