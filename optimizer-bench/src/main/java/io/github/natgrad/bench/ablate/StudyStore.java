package io.github.natgrad.bench.ablate;

import io.github.natgrad.training.AtomicFiles;
import io.github.natgrad.bench.ResumableCsv;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;

/**
 * The results folder of one study: {@code runs.csv} (one row per finished run, long form, a
 * {@link ResumableCsv} — the bench's one resumable store: rows appended and flushed as runs finish, so a
 * kill loses only the runs in flight; a last line cut short by a kill is reported and dropped, a malformed
 * row stops with its file and line), {@code study.yaml} (the study as first run) and {@code study.sha256}
 * ({@code name sha256}). Opening checks that the folder holds this study, unchanged: another study, or a
 * study file edited since the first run, is refused (the latter unless {@code fresh}, which moves the old
 * runs.csv aside rather than deleting it). {@link #finish} rewrites runs.csv atomically in grid order.
 * Columns: {@code problem}, one per axis, {@code metric,final_objective,iterations_run,diverged,seconds,error}.
 *
 * <p>A study of a {@link StudyKind} keeps the kind's own table instead of runs.csv, in the same way: the
 * file {@link StudyKind#storeFile()} with the kind's columns, a row appended as soon as its unit finishes,
 * a unit done when its last row is stored, rewritten in table order by {@link #finish}.
 *
 * <p>The kind's table is read back through {@link StudyTable#schema()}: as many fields as columns, each row
 * checked by the kind ({@code reproduce optim}'s runs.csv is the table of the kind {@code optim}).
 */
public final class StudyStore implements AutoCloseable {
    private final Path dir;
    private final Path file;
    private final StudyPlan plan;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> header;
    private ResumableCsv<RunRecord> csv;
    private final StudyKind kind;
    private final List<StudyKind.Unit> units;
    private final List<String> rowOrder;
    private ResumableCsv<List<String>> table;

    private StudyStore(Path dir, StudyPlan plan, List<String> problemNames) {
        this.dir = dir;
        this.kind = plan.study().kind();
        this.file = dir.resolve(kind == null ? "runs.csv" : kind.storeFile());
        this.plan = plan;
        if (kind != null) {
            this.units = List.copyOf(kind.units(plan.study(), problemNames));
            List<String> order = new ArrayList<>();
            for (StudyKind.Unit u : units) {
                order.addAll(u.rowKeys());
            }
            this.rowOrder = List.copyOf(order);
        } else {
            this.units = List.of();
            this.rowOrder = List.of();
        }
        for (int i = 0; i < plan.runs().size(); i++) {
            index.put(plan.key(i), i);
        }
        List<String> cols = new ArrayList<>();
        cols.add("problem");
        for (Study.AxisValues a : plan.study().axes()) {
            cols.add(a.axis().name());
        }
        cols.addAll(List.of("metric", "final_objective", "iterations_run", "diverged", "seconds", "error"));
        this.header = List.copyOf(cols);
    }

    /** runs.csv's columns, and how a row is written and strictly read back. */
    private final ResumableCsv.Schema<RunRecord> schema = new ResumableCsv.Schema<>() {
        @Override
        public List<String> header() {
            return header;
        }

        @Override
        public List<String> fields(RunRecord r) {
            RunSpec spec = plan.runs().get(r.run());
            List<String> f = new ArrayList<>();
            f.add(plan.study().problems().get(spec.problem()).name());
            f.addAll(spec.values());
            f.add(GridValues.format(r.metric()));
            f.add(GridValues.format(r.finalObjective()));
            f.add(Integer.toString(r.iterations()));
            f.add(Boolean.toString(r.diverged()));
            f.add(String.format(Locale.ROOT, "%.6f", r.seconds()));
            f.add(r.error());
            return f;
        }

        @Override
        public RunRecord parse(CSVRecord c) {
            int axes = plan.study().axes().size();
            StringBuilder key = new StringBuilder(c.get(0));
            for (int a = 1; a <= axes; a++) {
                key.append(',').append(c.get(a));
            }
            Integer run = index.get(key.toString());
            if (run == null) {
                throw new IllegalArgumentException("no run of study " + plan.study().name() + " has problem and axis "
                        + "values " + key);
            }
            int b = axes + 1;
            String diverged = c.get(b + 3);
            if (!diverged.equals("true") && !diverged.equals("false")) {
                throw new IllegalArgumentException("diverged is '" + diverged + "', not true or false");
            }
            try {
                return new RunRecord(run, Integer.parseInt(c.get(b + 2)), Double.parseDouble(c.get(b + 1)),
                        Double.parseDouble(c.get(b)), Boolean.parseBoolean(diverged), Double.parseDouble(c.get(b + 4)),
                        c.get(b + 5));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a number does not parse: " + e.getMessage(), e);
            }
        }

        @Override
        public String key(RunRecord r) {
            return plan.key(r.run());
        }
    };

    /** {@link #open(Path, StudyPlan, boolean, PrintStream)} with notices on standard error. */
    public static StudyStore open(Path dir, StudyPlan plan, boolean fresh) {
        return open(dir, plan, fresh, System.err);
    }

    /**
     * Opens the folder for {@code plan}'s study, creating it, or continuing the runs already there.
     *
     * @param notices where a repaired last line is reported
     * @param fresh start over when the study file changed (the old runs.csv is kept as runs-TIMESTAMP.csv)
     * @throws IllegalStateException when the folder holds another study, or this one changed and not fresh
     */
    public static StudyStore open(Path dir, StudyPlan plan, boolean fresh, PrintStream notices) {
        return open(dir, plan, plan.study().problems().stream().map(ProblemSpec::name).toList(), fresh, notices);
    }

    /**
     * {@link #open(Path, StudyPlan, boolean, PrintStream)} for a runtime whose problems carry names of their
     * own ({@link StudyRuntime#of}): a kind's rows spell those names.
     */
    public static StudyStore open(Path dir, StudyRuntime runtime, boolean fresh, PrintStream notices) {
        return open(dir, runtime.plan(), runtime.problems().stream().map(StudyProblem::name).toList(), fresh, notices);
    }

    /**
     * How {@code reproduce} opens a figure's folder: a study that changed starts over (its old table kept
     * aside, as {@code fresh}), and a table without {@code study.sha256} — written by the experiment before
     * it ran as a study, with the same columns and keys — is adopted and continued (every row is read
     * back strictly, so a table of other columns is refused with its file and line).
     */
    public static StudyStore openAdopting(Path dir, StudyRuntime runtime, PrintStream notices) {
        return open(dir, runtime.plan(), runtime.problems().stream().map(StudyProblem::name).toList(), true, true,
                notices);
    }

    private static StudyStore open(Path dir, StudyPlan plan, List<String> problemNames, boolean fresh,
            PrintStream notices) {
        return open(dir, plan, problemNames, fresh, false, notices);
    }

    private static StudyStore open(Path dir, StudyPlan plan, List<String> problemNames, boolean fresh, boolean adopt,
            PrintStream notices) {
        StudyStore store = new StudyStore(dir, plan, problemNames);
        Study study = plan.study();
        Path manifest = dir.resolve("study.sha256");
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new IllegalStateException(dir + " is a file, not a folder: choose another --out");
            }
            if (Files.exists(manifest)) {
                String[] m = Files.readString(manifest, StandardCharsets.UTF_8).trim().split("\\s+");
                if (m.length != 2) {
                    throw new IllegalStateException(manifest + " is not 'name sha256': it was not written by ablate; "
                            + "choose another --out");
                }
                if (!m[0].equals(study.name())) {
                    throw new IllegalStateException(dir + " holds the results of study '" + m[0] + "', not '"
                            + study.name() + "': choose another --out (nothing was changed there)");
                }
                if (!m[1].equals(study.hash())) {
                    if (!fresh) {
                        throw new IllegalStateException("the study file " + study.file() + " changed since the runs in "
                                + dir + " were made (sha256 " + m[1].substring(0, 12) + "… then, "
                                + study.hash().substring(0, 12) + "… now; the old file is " + dir.resolve("study.yaml")
                                + "): restore it to continue, or pass --fresh to start over (the old runs.csv is kept)");
                    }
                    store.moveAside();
                }
            } else if (Files.exists(store.file) && !(adopt && store.kind != null)) {
                if (!fresh) {
                    throw new IllegalStateException(dir + " has a " + store.file.getFileName() + " but no study.sha256: "
                            + "it is not an ablate results folder; choose another --out");
                }
                store.moveAside();
            }
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve("study.yaml"), study.text());
            AtomicFiles.write(manifest, study.name() + " " + study.hash() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + dir + ": " + e.getMessage(), e);
        }
        if (store.kind == null) {
            store.csv = ResumableCsv.open(store.file, store.schema, notices);
        } else {
            store.table = ResumableCsv.open(store.file, store.kind.schema(), notices);
        }
        return store;
    }

    /** Whether a kind's table holds the row with this key ({@link StudyTable#rowKey}). */
    public boolean has(String key) {
        return table.has(key);
    }

    /** Keeps the table of an earlier study beside the new one, as NAME-TIMESTAMP.csv. */
    private void moveAside() throws IOException {
        if (Files.exists(file)) {
            String name = file.getFileName().toString();
            String stem = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
            Files.move(file, dir.resolve(stem + "-" + Instant.now().toString().replace(':', '-') + ".csv"));
        }
    }

    /** Whether run {@code index} is recorded (for a kind: whether unit {@code index} is done). */
    public boolean has(int index) {
        return kind == null ? csv.has(plan.key(index)) : table.has(units.get(index).doneKey());
    }

    /** A kind's rows, in table order (those stored so far). */
    public List<List<String>> rows() {
        List<List<String>> out = new ArrayList<>();
        for (String key : rowOrder) {
            List<String> row = table.get(key);
            if (row != null) {
                out.add(row);
            }
        }
        return out;
    }

    /** A kind's units. */
    public List<StudyKind.Unit> units() {
        return units;
    }

    /** The record of run {@code index}, or null. */
    public RunRecord get(int index) {
        return csv.get(plan.key(index));
    }

    /** The number of recorded runs (for a kind: of units done). */
    public int size() {
        if (kind == null) {
            return csv.size();
        }
        int done = 0;
        for (StudyKind.Unit u : units) {
            done += table.has(u.doneKey()) ? 1 : 0;
        }
        return done;
    }

    /** Every record, by run index (null where not run). */
    public RunRecord[] records() {
        RunRecord[] out = new RunRecord[plan.runs().size()];
        for (RunRecord r : csv.rows()) {
            out[r.run()] = r;
        }
        return out;
    }

    /** Appends finished runs (those not yet recorded) and flushes them to the file; returns how many were new. */
    public synchronized int append(List<RunRecord> finished) {
        if (kind != null) {
            int units = 0;
            for (RunRecord r : finished) {
                if (!r.rows().isEmpty()) {
                    boolean was = has(r.run());
                    table.append(r.rows());
                    units += !was && has(r.run()) ? 1 : 0;
                }
            }
            return units;
        }
        int before = csv.size();
        csv.append(finished);
        return csv.size() - before;
    }

    /** Rewrites runs.csv atomically, rows in grid order. */
    public void finish() {
        if (kind == null) {
            csv.rewrite(plan.keys());
        } else {
            table.rewrite(rowOrder);
        }
    }

    /** The folder. */
    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        if (table == null) {
            csv.close();
        } else {
            table.close();
        }
    }
}
