package io.github.natgrad.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads what {@code bench-report} reports: JMH JSON results, the run description and the load of each part. */
final class ResultReader {
    private ResultReader() {
    }

    static Path absoluteParent(Path file) {
        return file.toAbsolutePath().getParent();
    }

    /** Reads a JMH JSON result array. */
    static List<BenchResult> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no JMH results at " + file + "; give a file written with "
                    + "-rf json -rff FILE, or a jmh-suite results directory");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON (" + e.getMessage() + "); was the run "
                    + "interrupted? Re-run it or give the parts' files", e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + " is not a JMH JSON result file (expected an array)");
        }
        List<BenchResult> results = new ArrayList<>();
        for (JsonNode node : root) {
            results.add(BenchResult.of(node));
        }
        return results;
    }

    /** The highest 1-minute load average recorded for each {@code jmh-suite} part (start or end). */
    static Map<String, Double> partLoads(Path partsDir) throws IOException {
        Map<String, Double> loads = new LinkedHashMap<>();
        if (!Files.isDirectory(partsDir)) {
            return loads;
        }
        try (java.util.stream.Stream<Path> files = Files.list(partsDir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(SuiteCommand.LOAD_SUFFIX))::iterator) {
                String name = f.getFileName().toString();
                double max = Double.NaN;
                for (String v : Files.readString(f).trim().split("\\s+")) {
                    try {
                        double x = Double.parseDouble(v);
                        max = Double.isNaN(max) ? x : Math.max(max, x);
                    } catch (NumberFormatException e) {
                        // an unreadable value says nothing about the load
                    }
                }
                if (!Double.isNaN(max)) {
                    loads.put(name.substring(0, name.length() - SuiteCommand.LOAD_SUFFIX.length()), max);
                }
            }
        }
        return loads;
    }

    static Optional<RunInfo> runInfo(Path results) throws IOException {
        Path sidecar = Path.of(results + "." + RunInfo.FILE);
        Path beside = absoluteParent(results).resolve(RunInfo.FILE);
        for (Path p : List.of(sidecar, beside)) {
            if (Files.isRegularFile(p)) {
                return Optional.of(RunInfo.read(p));
            }
        }
        return Optional.empty();
    }
}
