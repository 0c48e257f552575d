package io.github.natgrad.bench.jmh;

import static io.github.natgrad.bench.jmh.ReportText.*;

import io.github.natgrad.bench.CsvFiles;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Every benchmark result as one CSV row (written atomically with commons-csv). */
final class ResultsCsv {
    private ResultsCsv() {
    }

    /** Writes {@code file}: the benchmark, every parameter seen, the times (µs), flops per operation and GFLOP/s. */
    static void write(List<BenchResult> results, Path file) {
        Set<String> paramNames = new LinkedHashSet<>();
        results.forEach(r -> paramNames.addAll(r.params().keySet()));
        CsvFiles.write(file, CSVFormat.DEFAULT, csv -> {
            List<String> header = new ArrayList<>(List.of("benchmark"));
            header.addAll(paramNames);
            header.addAll(List.of("median_us", "mean_us", "error_us", "flops_per_op", "gflops"));
            csv.printRecord(header);
            for (BenchResult r : results) {
                List<Object> row = new ArrayList<>(List.of(r.benchmark()));
                paramNames.forEach(p -> row.add(r.param(p, "")));
                row.addAll(List.of(r.medianMicros(), r.meanMicros(), r.errorMicros(), r.flopsPerOp(), r.gflops()));
                csv.printRecord(row);
            }
        });
    }
}
