package io.github.natgrad.bench.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir DIR}: the folder of the named datasets (a1a.libsvm, australian.libsvm, fashion-mnist/ …),
 * the same in every command that reads them. A picocli mixin; its default is the environment variable
 * {@code NATGRAD_DATA}, and a command that ships with a data folder falls back to {@link #SHARED} when that is
 * unset ({@link #orShared()}).
 */
public final class DataDirOption {
    /** The folder of the project's datasets, relative to a worktree: the fallback of {@link #orShared()}. */
    public static final Path SHARED = Path.of("../shared/datasets");

    /** The folder, or null when neither the option nor NATGRAD_DATA gave one. */
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:NATGRAD_DATA}",
            description = "folder of the named datasets: a1a.libsvm, australian.libsvm, fashion-mnist/, ... "
                    + "(default: environment variable NATGRAD_DATA; vs-liblinear and the mlp commands fall back to "
                    + "../shared/datasets)")
    public Path dir;

    /** The folder given, else {@link #SHARED}. */
    public Path orShared() {
        return dir != null ? dir : SHARED;
    }
}
