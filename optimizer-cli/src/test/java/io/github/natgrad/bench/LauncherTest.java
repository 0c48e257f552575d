package io.github.natgrad.bench;

import io.github.natgrad.cli.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line started as a user starts it, {@code java -cp ... Main} without the Vector API module:
 * it re-launches itself with the module, keeps the arguments, standard input and output and the exit
 * code, and says which path is on; the opt-out runs it here, on the scalar path.
 */
class LauncherTest {

    private record Result(int code, String out, String err) {
    }

    private static Result start(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove(Launcher.ENVIRONMENT);
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command did not finish");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String classPath() {
        return System.getProperty("java.class.path");
    }

    @Test
    void withoutTheModuleTheCommandRunsInAChildWithTheModuleAndKeepsArgumentsAndExitCode(@TempDir Path dir)
            throws Exception {
        Result ok = start(dir, "-cp", classPath(), Main.class.getName(), "--version");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("natgrad 0.1.0"), ok.out());
        assertTrue(ok.err().contains("natgrad: SIMD kernels on"), ok.err());

        Result bad = start(dir, "-cp", classPath(), Main.class.getName(), "compare", "--no-such-option");
        assertEquals(2, bad.code(), "picocli's usage error code, passed through the child: " + bad.err());
        assertTrue(bad.err().contains("--no-such-option"), bad.err());
    }

    @Test
    void theOptOutRunsTheCommandInThisJvmOnTheScalarPath(@TempDir Path dir) throws Exception {
        Result r = start(dir, "-D" + Launcher.PROPERTY + "=off", "-cp", classPath(), Main.class.getName(), "--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("natgrad: SIMD kernels off (start the JVM with --add-modules"), r.err());
    }

    @Test
    void theChildGetsTheModuleTheOptionsTheClassPathAndTheArgumentsInOrder() {
        List<String> cmd = Launcher.command(List.of("-Xmx1g", "-Dx=a b"), "a.jar:lib/b.jar", Main.class.getName(),
                new String[] {"inspect", "--at", "my file.txt", ""});
        int module = cmd.indexOf("--add-modules");
        assertEquals("jdk.incubator.vector", cmd.get(module + 1));
        assertTrue(cmd.indexOf("-Xmx1g") > module && cmd.indexOf("-Dx=a b") > module);
        // the JIT options first, so the user's own options come later and win
        assertTrue(cmd.containsAll(Launcher.JIT_OPTIONS) && cmd.indexOf(Launcher.JIT_OPTIONS.get(1)) < cmd.indexOf("-Xmx1g"), cmd.toString());
        assertTrue(cmd.contains("-D" + Launcher.PROPERTY + "=off"), "the child never re-launches: " + cmd);
        assertEquals("a.jar:lib/b.jar", cmd.get(cmd.indexOf("-cp") + 1));
        assertEquals(List.of(Main.class.getName(), "inspect", "--at", "my file.txt", ""),
                cmd.subList(cmd.size() - 5, cmd.size()));
    }
}
