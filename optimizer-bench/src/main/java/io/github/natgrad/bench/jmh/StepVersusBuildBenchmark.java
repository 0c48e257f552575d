package io.github.natgrad.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@link StepBenchmark}'s step on this build and on another natgrad build, in one JMH run: the question
 * "is the step faster or slower than in release X?" answered side by side on the same machine state. Each
 * build's natgrad classes (optimizer-api, optimizer-ngd and this module's {@link Workload}) are loaded in a
 * class loader of their own, child-first; everything else — ND4J, JavaCPP, OpenBLAS, the JDK — is this jar's,
 * so only natgrad's own code differs between the two. A small driver (the same bytes in both loaders) builds
 * the workload and the optimizer through the API both builds share ({@code Workload.of},
 * {@code NaturalGradient.of(...).withDamping(...).build}, {@code Optimizer.step}) and is called through a JDK
 * interface, so the call costs the same for both.
 *
 * <p>{@code build} is {@code self} (this jar) or the {@code target} directory of another build of
 * optimizer-bench (its {@code natgrad-bench.jar} and {@code lib/}), e.g. 0.1.0's:
 * <pre>
 * git worktree add /tmp/v010 bac6a67 &amp;&amp; (cd /tmp/v010 &amp;&amp; mvn -B -pl optimizer-bench -am package -DskipTests)
 * bin/natgrad jmh StepVersusBuildBenchmark -p build=self,/tmp/v010/optimizer-bench/target -f 4
 * </pre>
 * JMH runs the forks of one {@code build} before the next; to interleave the two, list each more than once
 * with a different spelling ({@code self,/tmp/v010/optimizer-bench/target,./,/tmp/v010/optimizer-bench/target/}:
 * {@code ./} is also this build).
 */
@Fork(value = 1, jvmArgsAppend = {JmhDefaults.HEAP_2G, JmhDefaults.QUIET_ND4J, JmhDefaults.VECTOR_API})
public class StepVersusBuildBenchmark extends JmhDefaults {

    /** {@code self} or {@code ./} (this build), or another build's optimizer-bench {@code target} directory. */
    @Param({"self"})
    public String build;

    /** The curvature kind ({@code Curvatures.byName}). */
    @Param({"fisher"})
    public String kind;

    /** {@code logistic} or {@code linear} regression. */
    @Param({"logistic"})
    public String model;

    /** The shape {@code NxD}. */
    @Param({"569x31"})
    public String shape;

    /** natgrad's SIMD kernels: {@code auto} or {@code off}. */
    @Param({"auto"})
    public String simd;

    private DoubleSupplier step;

    /** Loads the build, builds its workload and optimizer, and takes one step. */
    @Setup
    public void setUp() throws Exception {
        Path dir = build.equals("self") || build.equals("./") ? ownDirectory() : Path.of(build);
        ClassLoader loader = new BuildLoader(dir, StepVersusBuildBenchmark.class.getClassLoader());
        Class<?> driver = loader.loadClass(Driver.class.getName());
        step = (DoubleSupplier) driver.getConstructor(String.class, String.class, String.class, String.class)
                .newInstance(kind, model, shape, simd);
        step.getAsDouble();
    }

    /** One step from θ₀; returns the step's loss (so the step is not dead code). */
    @Benchmark
    public double step() {
        return step.getAsDouble();
    }

    private static Path ownDirectory() throws URISyntaxException {
        return Path.of(StepVersusBuildBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
    }

    /**
     * One step of {@link StepBenchmark} (θ reset to θ₀, then {@code Optimizer.step}, Cholesky, λ = 1e-4
     * fixed), built inside one build's class loader. Public for the loader; not an API.
     */
    public static final class Driver implements DoubleSupplier {
        private final Workload work;
        private final io.github.natgrad.Optimizer optimizer;
        private final double[] theta;

        /** The workload and the optimizer of {@code StepBenchmark} with these parameters. */
        public Driver(String kind, String model, String shape, String simd) {
            Workload.useSimd(simd);
            Workload.useThreads("1");
            work = Workload.of(shape, model, 1);
            optimizer = io.github.natgrad.optim.NaturalGradient.of(
                    io.github.natgrad.curvature.Curvatures.byName(kind, 1, 0))
                    .withDamping(io.github.natgrad.damping.Damping.fixed(1e-4)).build(work.model());
            theta = work.theta().clone();
        }

        @Override
        public double getAsDouble() {
            System.arraycopy(work.theta(), 0, theta, 0, theta.length);
            return optimizer.step(theta, work.batch()).loss();
        }
    }

    /**
     * Child-first for natgrad's classes and resources (from the build's jars), parent-first for the rest;
     * {@link Driver} is defined from this jar's bytes when the build has none.
     */
    private static final class BuildLoader extends URLClassLoader {
        private static final String NATGRAD = "io.github.natgrad.";

        BuildLoader(Path target, ClassLoader parent) {
            super(urls(target), parent);
        }

        private static URL[] urls(Path target) {
            Path lib = target.resolve("lib");
            Path bench = target.resolve("natgrad-bench.jar");
            if (!Files.isRegularFile(bench) || !Files.isDirectory(lib)) {
                throw new IllegalArgumentException("build=" + target + " is not an optimizer-bench target directory"
                        + " (it needs natgrad-bench.jar and lib/): build it with mvn -B -pl optimizer-bench -am"
                        + " package -DskipTests and pass its optimizer-bench/target");
            }
            try (var files = Files.list(lib)) {
                Path[] natgrad = files.filter(p -> p.getFileName().toString().startsWith("optimizer-"))
                        .toArray(Path[]::new);
                URL[] out = new URL[natgrad.length + 1];
                out[0] = bench.toUri().toURL();
                for (int i = 0; i < natgrad.length; i++) {
                    out[i + 1] = natgrad[i].toUri().toURL();
                }
                return out;
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(NATGRAD)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    if (name.startsWith(Driver.class.getName())) {
                        c = defineFromParent(name);
                    } else {
                        c = findClass(name);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        private Class<?> defineFromParent(String name) throws ClassNotFoundException {
            String resource = name.replace('.', '/') + ".class";
            try (InputStream in = getParent().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        public URL getResource(String name) {
            URL own = findResource(name);
            return own != null ? own : super.getResource(name);
        }
    }
}
