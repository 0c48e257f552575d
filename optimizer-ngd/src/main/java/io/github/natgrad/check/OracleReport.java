package io.github.natgrad.check;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link OracleChecker} found: one line per check, each with its relative error.
 *
 * @param model  the model's description
 * @param checks the checks in the order run
 */
public record OracleReport(String model, List<Check> checks) {

    /**
     * One check.
     *
     * @param name    what was compared
     * @param status  PASSED, FAILED or SKIPPED (capability not declared)
     * @param error   the relative error (NaN when skipped or when the check could not run)
     * @param detail  what was wrong and where, or why skipped
     */
    public record Check(String name, Status status, double error, String detail) {
        @Override
        public String toString() {
            return String.format("%-7s %-55s %s %s", status, name, Double.isNaN(error) ? "" : String.format(
                    "err %.2e", error), detail);
        }
    }

    /** The outcome of a check. */
    public enum Status {
        /** Within tolerance. */
        PASSED,
        /** Outside tolerance, or the oracle threw or returned arrays of the wrong size. */
        FAILED,
        /** Not run: the model does not declare the capability. */
        SKIPPED
    }

    /** Makes the list immutable. */
    public OracleReport {
        checks = List.copyOf(checks);
    }

    /** True when no check failed. */
    public boolean passed() {
        return checks.stream().noneMatch(c -> c.status() == Status.FAILED);
    }

    /** The failed checks. */
    public List<Check> failures() {
        return checks.stream().filter(c -> c.status() == Status.FAILED).collect(Collectors.toList());
    }

    /**
     * Throws an {@link IllegalStateException} listing the failed checks, if any.
     *
     * @return this report, when every check passed
     */
    public OracleReport throwIfFailed() {
        if (!passed()) {
            throw new IllegalStateException("the oracle of " + model + " is wrong:\n" + failures().stream()
                    .map(Check::toString).collect(Collectors.joining("\n")));
        }
        return this;
    }

    @Override
    public String toString() {
        return "oracle check of " + model + (passed() ? ": passed" : ": FAILED") + "\n" + checks.stream()
                .map(c -> "  " + c).collect(Collectors.joining("\n"));
    }
}
