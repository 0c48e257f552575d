package io.github.natgrad.bench.ablate;

import io.github.natgrad.bench.AtomicFiles;
import io.github.natgrad.bench.reproduce.Grid;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The results folder of one study: {@code runs.csv} (one row per finished run, long form, appended and
 * flushed as runs finish, so a kill loses only the runs in flight), {@code study.yaml} (the study as
 * first run) and {@code study.sha256} ({@code name sha256}). Opening checks that the folder holds this
 * study, unchanged: another study, or a study file edited since the first run, is refused (the latter
 * unless {@code fresh}, which moves the old runs.csv aside rather than deleting it). A last line cut short
 * by a kill is dropped. {@link #finish} rewrites runs.csv atomically in grid order.
 */
public final class StudyStore implements AutoCloseable {
    private final Path dir;
    private final Path file;
    private final StudyPlan plan;
    private final Map<String, Integer> index = new HashMap<>();
    private final RunRecord[] records;
    private final String header;
    private BufferedWriter writer;
    private int count;

    private StudyStore(Path dir, StudyPlan plan) {
        this.dir = dir;
        this.file = dir.resolve("runs.csv");
        this.plan = plan;
        this.records = new RunRecord[plan.runs().size()];
        for (int i = 0; i < plan.runs().size(); i++) {
            index.put(plan.key(i), i);
        }
        List<String> cols = new ArrayList<>();
        cols.add("problem");
        for (Study.AxisValues a : plan.study().axes()) {
            cols.add(a.axis().name());
        }
        cols.addAll(List.of("metric", "final_objective", "iterations_run", "diverged", "seconds", "error"));
        this.header = String.join(",", cols);
    }

    /**
     * Opens the folder for {@code plan}'s study, creating it, or continuing the runs already there.
     *
     * @param fresh start over when the study file changed (the old runs.csv is kept as runs-TIMESTAMP.csv)
     * @throws IllegalStateException when the folder holds another study, or this one changed and not fresh
     */
    public static StudyStore open(Path dir, StudyPlan plan, boolean fresh) {
        StudyStore store = new StudyStore(dir, plan);
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
                    if (Files.exists(store.file)) {
                        Files.move(store.file, dir.resolve("runs-" + Instant.now().toString().replace(':', '-') + ".csv"));
                    }
                }
            } else if (Files.exists(store.file)) {
                throw new IllegalStateException(dir + " has a runs.csv but no study.sha256: it is not an ablate "
                        + "results folder; choose another --out");
            }
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve("study.yaml"), study.text());
            AtomicFiles.write(manifest, study.name() + " " + study.hash() + "\n");
            if (Files.exists(store.file)) {
                store.load();
            } else {
                AtomicFiles.write(store.file, store.header + "\n");
            }
            store.writer = Files.newBufferedWriter(store.file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + dir + ": " + e.getMessage(), e);
        }
        return store;
    }

    private void load() throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        if (!lines[0].equals(header)) {
            throw new IllegalStateException(file + " has the header '" + lines[0] + "', not '" + header
                    + "': it was written for another version of the study; pass --fresh or choose another --out");
        }
        boolean dirty = !text.endsWith("\n");
        for (int k = 1; k < lines.length - 1; k++) {
            RunRecord r = parse(lines[k]);
            if (r == null) {
                dirty = true;
            } else if (records[r.run()] == null) {
                records[r.run()] = r;
                count++;
            }
        }
        if (dirty) {
            rewrite();
        }
    }

    private RunRecord parse(String line) {
        try {
            List<CSVRecord> recs = CSVFormat.RFC4180.parse(new StringReader(line)).getRecords();
            if (recs.size() != 1) {
                return null;
            }
            CSVRecord c = recs.get(0);
            int axes = plan.study().axes().size();
            if (c.size() != axes + 7) {
                return null;
            }
            StringBuilder key = new StringBuilder(c.get(0));
            for (int a = 1; a <= axes; a++) {
                key.append(',').append(c.get(a));
            }
            Integer run = index.get(key.toString());
            if (run == null) {
                return null;
            }
            int b = axes + 1;
            return new RunRecord(run, Integer.parseInt(c.get(b + 2)), Double.parseDouble(c.get(b + 1)),
                    Double.parseDouble(c.get(b)), Boolean.parseBoolean(c.get(b + 3)), Double.parseDouble(c.get(b + 4)),
                    c.get(b + 5));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private String line(RunRecord r) {
        RunSpec spec = plan.runs().get(r.run());
        List<String> f = new ArrayList<>();
        f.add(plan.study().problems().get(spec.problem()).name());
        f.addAll(spec.values());
        f.add(Grid.format(r.metric()));
        f.add(Grid.format(r.finalObjective()));
        f.add(Integer.toString(r.iterations()));
        f.add(Boolean.toString(r.diverged()));
        f.add(String.format(java.util.Locale.ROOT, "%.6f", r.seconds()));
        f.add(r.error());
        return CSVFormat.RFC4180.format(f.toArray());
    }

    /** Whether run {@code index} is recorded. */
    public synchronized boolean has(int index) {
        return records[index] != null;
    }

    /** The record of run {@code index}, or null. */
    public synchronized RunRecord get(int index) {
        return records[index];
    }

    /** The number of recorded runs. */
    public synchronized int size() {
        return count;
    }

    /** Every record, by run index (null where not run). */
    public synchronized RunRecord[] records() {
        return records.clone();
    }

    /** Appends finished runs (those not yet recorded) and flushes them to the file; returns how many were new. */
    public synchronized int append(List<RunRecord> finished) {
        int before = count;
        try {
            for (RunRecord r : finished) {
                if (records[r.run()] == null) {
                    records[r.run()] = r;
                    count++;
                    writer.write(line(r));
                    writer.write('\n');
                }
            }
            writer.flush();
            return count - before;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Rewrites runs.csv atomically, rows in grid order. */
    public synchronized void finish() {
        rewrite();
    }

    private void rewrite() {
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (RunRecord r : records) {
            if (r != null) {
                sb.append(line(r)).append('\n');
            }
        }
        try {
            if (writer != null) {
                writer.close();
            }
            AtomicFiles.write(file, sb.toString());
            if (writer != null) {
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file + ": " + e.getMessage(), e);
        }
    }

    /** The folder. */
    public Path directory() {
        return dir;
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
