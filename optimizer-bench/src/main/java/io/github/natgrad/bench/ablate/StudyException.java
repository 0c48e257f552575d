package io.github.natgrad.bench.ablate;

import io.github.natgrad.data.MalformedDataException;
import java.nio.file.Path;

/**
 * A study file that cannot be run: the library's {@link MalformedDataException} (a file that cannot be read
 * as asked), its message starting with the file and the line of the first problem found, e.g.
 * {@code studies/x.yaml:12: unknown value 'kfac' for axis structure; known: [dense]}.
 */
public final class StudyException extends MalformedDataException {
    private static final long serialVersionUID = 1L;

    /** An error at {@code line} (0 when unknown) of the study file {@code file}. */
    public StudyException(String file, int line, String message) {
        super(Path.of(file), line, message);
    }
}
