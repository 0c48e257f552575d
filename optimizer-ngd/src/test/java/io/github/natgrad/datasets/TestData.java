package io.github.natgrad.datasets;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests find the shared datasets: the directory named by {@code -Dnatgrad.data.dir} (the root
 * pom sets it to {@code ../shared/datasets}). When it is missing, a test that needs it is skipped on a
 * developer's machine but FAILS under CI (environment variable {@code CI=true}), so that CI never passes
 * with the real-data checks silently left out.
 *
 * <p>The one copy for every module: optimizer-ngd's test-jar, a test dependency of optimizer-bench and
 * optimizer-cli.
 */
public final class TestData {
    /** The system property the root pom sets. */
    public static final String PROPERTY = "natgrad.data.dir";

    private TestData() {
    }

    /** Whether this is a CI run ({@code CI=true}, as CI services set it and {@code .ci/run} does). */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * The datasets directory; skips the calling test (outside CI) or fails it (under CI) when it is missing.
     *
     * @param check what the test checks with the data, for the message
     */
    public static Path dataDir(String check) {
        String property = System.getProperty(PROPERTY);
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property);
        }
        String why = (property == null ? "-D" + PROPERTY + " is not set" : "no directory at " + PROPERTY + " = "
                + property) + ": " + check + " need(s) the shared datasets (../shared/datasets beside the repository)";
        if (underCi()) {
            fail("CI=true and " + why);
        }
        Assumptions.abort(why + ": skipped (it would fail under CI=true)");
        return null; // not reached
    }
}
