package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.GridValues;
import io.github.natgrad.bench.ablate.StudyStore;
import io.github.natgrad.bench.ablate.StudyTable;
import java.util.List;

/**
 * The layout of the optim grid's {@code OUT/optim/runs.csv}, the table of the study kind {@link OptimKind}, kept
 * by the study engine's one store ({@link StudyStore}): {@code dataset,optimizer,lr,damping,iterations,final_loss,diverged},
 * numbers as {@code %.17g}, damping empty for GD, a run keyed by dataset, optimizer, step size and damping
 * as written. Every row read back is checked strictly: every number and flag must parse.
 */
final class OptimRuns implements StudyTable {
    /** The header line of runs.csv. */
    static final String HEADER = "dataset,optimizer,lr,damping,iterations,final_loss,diverged";

    /** The one instance (the layout is stateless). */
    static final OptimRuns TABLE = new OptimRuns();

    private static final List<String> COLUMNS = List.of(HEADER.split(","));

    private OptimRuns() {
    }

    /**
     * One row of runs.csv, with the step size and damping as written ({@code %.17g}).
     *
     * @param dataset    the dataset or problem name
     * @param optimizer  GD, NGD or EFGD
     * @param lr         the step size, as written
     * @param damping    the damping, as written, empty for GD
     * @param iterations the iterations run
     * @param finalLoss  the final loss
     * @param diverged   whether the run diverged
     */
    record Row(String dataset, String optimizer, String lr, String damping, int iterations, double finalLoss,
            boolean diverged) {

        /** The key of the run: dataset, optimizer, step size and damping. */
        String key() {
            return OptimRuns.key(dataset, optimizer, lr, damping);
        }

        /** The row's fields, in column order. */
        List<String> fields() {
            return List.of(dataset, optimizer, lr, damping, Integer.toString(iterations), GridValues.format(finalLoss),
                    Boolean.toString(diverged));
        }

        /** A stored row read back (strictly: every number and flag must parse). */
        static Row of(List<String> r) {
            return new Row(r.get(0), r.get(1), StudyTable.number(r.get(2), "lr"),
                    r.get(3).isEmpty() ? "" : StudyTable.number(r.get(3), "damping"),
                    StudyTable.integer(r.get(4), "iterations"),
                    Double.parseDouble(StudyTable.number(r.get(5), "final_loss")),
                    StudyTable.flag(r.get(6), "diverged"));
        }
    }

    /** The key of a run. */
    static String key(String dataset, String optimizer, String lr, String damping) {
        return dataset + "," + optimizer + "," + lr + "," + damping;
    }

    @Override
    public List<String> header() {
        return COLUMNS;
    }

    @Override
    public String storeFile() {
        return "runs.csv";
    }

    @Override
    public void checkRow(List<String> row) {
        Row.of(row);
    }

    @Override
    public String rowKey(List<String> row) {
        return key(row.get(0), row.get(1), row.get(2), row.get(3));
    }
}
