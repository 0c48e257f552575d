package io.github.natgrad.bench.jmh;

import io.github.natgrad.bench.UnitLadder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** What every section of the benchmark report shares: selecting results and formatting figures. */
final class ReportText {
    private ReportText() {
    }

    /** The curvature kinds in table order. */
    static final List<String> KINDS =
            List.of("identity", "fisher", "mc-fisher", "empirical-fisher", "gauss-newton", "hessian");

    static List<BenchResult> select(List<BenchResult> rs, Predicate<BenchResult> keep) {
        return rs.stream().filter(keep).collect(Collectors.toCollection(ArrayList::new));
    }

    static Optional<BenchResult> first(List<BenchResult> rs, Predicate<BenchResult> keep) {
        return rs.stream().filter(keep).findFirst();
    }

    static List<String> values(List<BenchResult> rs, String param) {
        return rs.stream().map(r -> r.params().get(param)).filter(v -> v != null).distinct().collect(Collectors.toList());
    }

    static List<String> shapes(List<BenchResult> rs) {
        return sortShapes(values(rs, "shape"));
    }

    static List<String> sortShapes(Iterable<String> shapes) {
        List<String> list = new ArrayList<>();
        shapes.forEach(list::add);
        list.sort(Comparator.comparingDouble((String s) -> {
            int[] nd = Workload.parseShape(s);
            return (double) nd[0] * nd[1] * nd[1];
        }));
        return list;
    }

    static String cell(List<BenchResult> rs, Predicate<BenchResult> at, String method) {
        return first(rs, at.and(r -> r.benchmark().endsWith(method)))
                .map(r -> time(r.medianMicros()) + noisy(r) + (Double.isNaN(r.gflops()) ? "" : " (" + rate(r.gflops()) + ")"))
                .orElse("–");
    }

    /** The spread above which a result is marked as disturbed. */
    static final double NOISY_SPREAD = 1.3;

    /** A mark for a result whose iterations differ by more than {@link #NOISY_SPREAD}. */
    static String noisy(BenchResult r) {
        return (r.spread() > NOISY_SPREAD ? " †" : "") + (r.overloaded() ? " ‡" : "");
    }

    /** Times given in µs, printed in µs, ms or s with three significant digits. */
    private static final UnitLadder MICROS = UnitLadder.of("%.3g µs").then(1e3, 1e3, "%.3g ms").then(1e6, 1e6, "%.3g s");

    /** A time in µs, ms or s with three significant digits. */
    static String time(double micros) {
        return MICROS.format(micros);
    }

    static String rate(double gflops) {
        return Double.isNaN(gflops) ? "–" : String.format(Locale.ROOT, "%.1f GFLOP/s", gflops);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    static String flops(double flops) {
        if (Double.isNaN(flops)) {
            return "–";
        }
        return flops >= 1e9 ? String.format(Locale.ROOT, "%.3g G", flops / 1e9)
                : flops >= 1e6 ? String.format(Locale.ROOT, "%.3g M", flops / 1e6)
                : String.format(Locale.ROOT, "%.3g k", flops / 1e3);
    }
}
