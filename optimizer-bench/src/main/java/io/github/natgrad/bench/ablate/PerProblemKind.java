package io.github.natgrad.bench.ablate;

import java.util.List;

/**
 * A {@link StudyKind} whose unit is one problem and whose table has one row per problem, keyed by the
 * problem's name in the first column (the misspecification figure, the curvature inspection): the name,
 * the table's file and columns are given once, here; a subclass says what a problem's row holds
 * ({@link #run}) and what the report draws.
 */
public abstract class PerProblemKind implements StudyKind {
    private final String name;
    private final String storeFile;
    private final List<String> header;

    /**
     * @param name      the value of {@code experiment:}
     * @param storeFile the table's file name, e.g. {@code misspec.csv}
     * @param header    the table's columns, the first the problem's name
     */
    protected PerProblemKind(String name, String storeFile, List<String> header) {
        this.name = name;
        this.storeFile = storeFile;
        this.header = List.copyOf(header);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> header() {
        return header;
    }

    @Override
    public final String storeFile() {
        return storeFile;
    }

    /** One unit per problem, named after the kind and the problem ({@link Unit#onePerProblem}). */
    @Override
    public final List<Unit> units(Study study, List<String> problemNames) {
        return Unit.onePerProblem(name, problemNames);
    }

    /** The problem's name (the first column). */
    @Override
    public final String rowKey(List<String> row) {
        return row.get(0);
    }
}
