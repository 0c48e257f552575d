package io.github.natgrad.linalg;

import org.bytedeco.openblas.global.openblas;

/**
 * Known-answer checks of the BLAS and LAPACK routines natgrad calls, each run once per process on the
 * routine's first use (a holder class per routine: the JVM runs its initialiser once, thread-safely, and
 * every later call reads one constant). Each check feeds the routine small problems of dimensions 9, 33
 * and 64 (where OpenBLAS 0.3.19's SkylakeX kernels go wrong: its blocked paths start at about 32) and
 * compares the result with an answer computed independently of BLAS:
 * <ul>
 *   <li>{@code dgemm}, {@code dgemv}, {@code dsyrk}, {@code dsymv}: matrices of small integers, whose
 *       products are exact in double precision, against plain Java loops (every transposition natgrad uses;
 *       the triangle a routine must not touch or read is filled with other values);</li>
 *   <li>{@code dpotrf}, {@code dpotrs}, {@code dpotri}: M = UᵀU built exactly from a known upper-triangular
 *       integer U with a dominant diagonal (κ(M) &lt; 10): the factor must be U, the solve of M x = Mx₀ must
 *       give the integer x₀, and M(M⁻¹z) must be z for integer probes z;</li>
 *   <li>{@code dsyevd}: the matrix M_ij = min(i, j) (i, j = 1 … n), whose eigenvalues are known in closed
 *       form, 1 / (4 sin²((2k − 1)π / (4n + 2))) (Gregory and Karney, <i>A Collection of Matrices for
 *       Testing Computational Algorithms</i>, 1969), and M z = V diag(w) Vᵀz, Vᵀ(Vz) = z on integer probes z
 *       (Java loops, O(n²): a wrong eigenvector fails them with probability one).</li>
 * </ul>
 * Each check costs O(d²) to O(d³) at d ≤ 128: milliseconds once per process. A failure becomes a {@link BlasKernelException} thrown from
 * that routine's first and every later use. The {@code check*} methods take the routine as an argument so
 * that a test can show a wrong implementation being caught.
 */
final class KnownAnswers {
    private static final int[] SIZES = {9, 33, 64};
    private static final double EPS = Math.ulp(1.0);

    private KnownAnswers() {
    }

    // ---- the routines, as the checks call them (row-major, as Blas calls them) ----

    /** C = alpha · op(A) op(B) + beta · C, row-major. */
    interface GemmRoutine {
        void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda,
                double[] b, int ldb, double beta, double[] c, int ldc);
    }

    /** y = alpha · op(A) x + beta · y, A row-major m × n. */
    interface GemvRoutine {
        void gemv(boolean trans, int m, int n, double alpha, double[] a, double[] x, double beta, double[] y);
    }

    /** The upper triangle of C = alpha · GᵀG + beta · C, G row-major rows × d. */
    interface SyrkRoutine {
        void syrk(int d, int rows, double alpha, double[] g, double beta, double[] c);
    }

    /** y = A x for a symmetric row-major A, reading its upper (or lower) triangle only. */
    interface SymvRoutine {
        void symv(boolean upper, int d, double[] a, double[] x, double[] y);
    }

    /** Cholesky A = UᵀU in the row-major upper triangle (column-major dpotrf 'L'); returns info. */
    interface PotrfRoutine {
        int potrf(int d, double[] a);
    }

    /** Solves UᵀU x = b in place with the factor in the row-major upper triangle; returns info. */
    interface PotrsRoutine {
        int potrs(int d, double[] factor, double[] b);
    }

    /** (UᵀU)⁻¹ in the row-major upper triangle from the factor there; returns info. */
    interface PotriRoutine {
        int potri(int d, double[] factor);
    }

    /** Eigenvalues ascending and eigenvectors (columns, row-major) of a symmetric matrix; returns info. */
    interface SyevdRoutine {
        int syevd(int d, double[] a, double[] w);
    }

    static final GemmRoutine DGEMM = (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) -> openblas.cblas_dgemm(
            openblas.CblasRowMajor, ta ? openblas.CblasTrans : openblas.CblasNoTrans,
            tb ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    static final GemvRoutine DGEMV = (t, m, n, alpha, a, x, beta, y) -> openblas.cblas_dgemv(openblas.CblasRowMajor,
            t ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, alpha, a, n, x, 1, beta, y, 1);
    static final SyrkRoutine DSYRK = (d, rows, alpha, g, beta, c) -> openblas.cblas_dsyrk(openblas.CblasRowMajor,
            openblas.CblasUpper, openblas.CblasTrans, d, rows, alpha, g, d, beta, c, d);
    static final SymvRoutine DSYMV = (upper, d, a, x, y) -> openblas.cblas_dsymv(openblas.CblasRowMajor,
            upper ? openblas.CblasUpper : openblas.CblasLower, d, 1.0, a, d, x, 1, 0.0, y, 1);
    static final PotrfRoutine DPOTRF = (d, a) -> openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'L', d, a,
            d);
    static final PotrsRoutine DPOTRS = (d, f, b) -> openblas.LAPACKE_dpotrs(openblas.LAPACK_COL_MAJOR, (byte) 'L', d,
            1, f, d, b, d);
    static final PotriRoutine DPOTRI = (d, f) -> openblas.LAPACKE_dpotri(openblas.LAPACK_COL_MAJOR, (byte) 'L', d, f,
            d);
    static final SyevdRoutine DSYEVD = (d, a, w) -> openblas.LAPACKE_dsyevd(openblas.CblasRowMajor, (byte) 'V',
            (byte) 'U', d, a, d, w);

    // ---- the holders: one check per routine per process ----

    private interface Check {
        void run();
    }

    private static BlasKernelException outcome(Check check) {
        try {
            check.run();
            return null;
        } catch (BlasKernelException e) {
            return e;
        }
    }

    static void require(BlasKernelException failure) {
        if (failure != null) {
            throw failure.again();
        }
    }

    private static final class Dgemm {
        static final BlasKernelException FAILURE = outcome(() -> checkGemm(DGEMM));
    }

    private static final class Dgemv {
        static final BlasKernelException FAILURE = outcome(() -> checkGemv(DGEMV));
    }

    private static final class Dsyrk {
        static final BlasKernelException FAILURE = outcome(() -> checkSyrk(DSYRK));
    }

    private static final class Dsymv {
        static final BlasKernelException FAILURE = outcome(() -> checkSymv(DSYMV));
    }

    private static final class Dpotrf {
        static final BlasKernelException FAILURE = outcome(() -> checkPotrf(DPOTRF));
    }

    private static final class Dpotrs {
        static final BlasKernelException FAILURE = outcome(() -> checkPotrs(DPOTRS));
    }

    private static final class Dpotri {
        static final BlasKernelException FAILURE = outcome(() -> checkPotri(DPOTRI));
    }

    private static final class Dsyevd {
        static final BlasKernelException FAILURE = outcome(() -> checkSyevd(DSYEVD));
    }

    /** Checks {@code dgemm} on its first use in the process; throws if it failed. */
    static void dgemm() {
        require(Dgemm.FAILURE);
    }

    /** Checks {@code dgemv} on its first use in the process; throws if it failed. */
    static void dgemv() {
        require(Dgemv.FAILURE);
    }

    /** Checks {@code dsyrk} on its first use in the process; throws if it failed. */
    static void dsyrk() {
        require(Dsyrk.FAILURE);
    }

    /** Checks {@code dsymv} on its first use in the process; throws if it failed. */
    static void dsymv() {
        require(Dsymv.FAILURE);
    }

    /** Checks {@code dpotrf} on its first use in the process; throws if it failed. */
    static void dpotrf() {
        require(Dpotrf.FAILURE);
    }

    /** Checks {@code dpotrs} on its first use in the process; throws if it failed. */
    static void dpotrs() {
        require(Dpotrs.FAILURE);
    }

    /** Checks {@code dpotri} on its first use in the process; throws if it failed. */
    static void dpotri() {
        require(Dpotri.FAILURE);
    }

    /** Checks {@code dsyevd} on its first use in the process; throws if it failed. */
    static void dsyevd() {
        require(Dsyevd.FAILURE);
    }

    /** Runs every check now (the first use of each routine would otherwise run it). */
    static void all() {
        dgemm();
        dgemv();
        dsyrk();
        dsymv();
        dpotrf();
        dpotrs();
        dpotri();
        dsyevd();
    }

    // ---- the checks ----

    /** An m × n row-major matrix of small integers in [−3, 3], a fixed pattern per seed. */
    static double[] integers(int m, int n, int seed) {
        double[] a = new double[m * n];
        long s = 0x9E3779B97F4A7C15L * (seed + 1);
        for (int i = 0; i < a.length; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            a[i] = (int) ((s >>> 33) % 7) - 3;
        }
        return a;
    }

    private static BlasKernelException wrong(String routine, String detail) {
        return new BlasKernelException(routine, "known-answer check: " + detail);
    }

    static void checkGemm(GemmRoutine routine) {
        int[][] shapes = {{33, 9, 64}, {64, 9, 33}, {9, 33, 9}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                double[] a = integers(m, k, 1 + t);
                double[] b = integers(k, n, 2 + t);
                double[] c = integers(m, n, 3 + t);
                double[] expected = new double[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int l = 0; l < k; l++) {
                            double ail = ta ? a[l * m + i] : a[i * k + l];
                            double blj = tb ? b[j * k + l] : b[l * n + j];
                            s += ail * blj;
                        }
                        expected[i * n + j] = 2 * s - c[i * n + j];
                    }
                }
                routine.gemm(ta, tb, m, n, k, 2.0, a, ta ? m : k, b, tb ? k : n, -1.0, c, n);
                double err = maxDifference(c, expected);
                if (!(err == 0)) {
                    throw wrong("dgemm", String.format("C = 2 op(A) op(B) - C with %s, %s, m = %d, n = %d, k = %d of "
                            + "small integers is off by up to %.3g from the exact product", ta ? "A'" : "A",
                            tb ? "B'" : "B", m, n, k, err));
                }
            }
        }
    }

    static void checkGemv(GemvRoutine routine) {
        for (int d : SIZES) {
            int m = d;
            int n = d == 64 ? 33 : 64;
            for (boolean trans : new boolean[] {false, true}) {
                double[] a = integers(m, n, 4);
                double[] x = integers(1, trans ? m : n, 5);
                double[] y = integers(1, trans ? n : m, 6);
                double[] expected = new double[y.length];
                for (int i = 0; i < y.length; i++) {
                    double s = 0;
                    for (int j = 0; j < x.length; j++) {
                        s += (trans ? a[j * n + i] : a[i * n + j]) * x[j];
                    }
                    expected[i] = 3 * s + 2 * y[i];
                }
                routine.gemv(trans, m, n, 3.0, a, x, 2.0, y);
                double err = maxDifference(y, expected);
                if (!(err == 0)) {
                    throw wrong("dgemv", String.format("y = 3 %s x + 2 y, A %d x %d of small integers, is off by up to "
                            + "%.3g from the exact product", trans ? "A'" : "A", m, n, err));
                }
            }
        }
    }

    static void checkSyrk(SyrkRoutine routine) {
        for (int d : SIZES) {
            int rows = d == 64 ? 9 : 64;
            double[] g = integers(rows, d, 7);
            double[] c = integers(d, d, 8);
            double[] before = c.clone();
            routine.syrk(d, rows, 2.0, g, -1.0, c);
            double err = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double expected;
                    if (j >= i) {
                        double s = 0;
                        for (int r = 0; r < rows; r++) {
                            s += g[r * d + i] * g[r * d + j];
                        }
                        expected = 2 * s - before[i * d + j];
                    } else {
                        expected = before[i * d + j];
                    }
                    err = Math.max(err, Math.abs(c[i * d + j] - expected));
                }
            }
            if (!(err == 0)) {
                throw wrong("dsyrk", String.format("the upper triangle of 2 G'G - C, G %d x %d of small integers "
                        + "(lower triangle untouched), is off by up to %.3g from the exact product", rows, d, err));
            }
        }
    }

    static void checkSymv(SymvRoutine routine) {
        for (int d : SIZES) {
            for (boolean upper : new boolean[] {true, false}) {
                double[] s = integers(d, d, 9);
                double[] a = s.clone();
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        boolean read = upper ? j >= i : j <= i;
                        int from = upper ? Math.min(i, j) * d + Math.max(i, j) : Math.max(i, j) * d + Math.min(i, j);
                        s[i * d + j] = s[from];
                        if (!read) {
                            a[i * d + j] = 1000; // must not be read
                        }
                    }
                }
                double[] x = integers(1, d, 10);
                double[] y = new double[d];
                double[] expected = new double[d];
                for (int i = 0; i < d; i++) {
                    double t = 0;
                    for (int j = 0; j < d; j++) {
                        t += s[i * d + j] * x[j];
                    }
                    expected[i] = t;
                }
                routine.symv(upper, d, a, x, y);
                double err = maxDifference(y, expected);
                if (!(err == 0)) {
                    throw wrong("dsymv", String.format("A x for a symmetric %d x %d A of small integers (%s triangle) "
                            + "is off by up to %.3g from the exact product", d, d, upper ? "upper" : "lower", err));
                }
            }
        }
    }

    /** The known factor: upper triangular, diagonal 2d, off-diagonal entries in {−1, 0, 1}; κ(U) &lt; 3. */
    static double[] knownFactor(int d) {
        double[] u = new double[d * d];
        for (int i = 0; i < d; i++) {
            u[i * d + i] = 2 * d;
            for (int j = i + 1; j < d; j++) {
                u[i * d + j] = ((i * 7 + j * 3) % 3) - 1;
            }
        }
        return u;
    }

    /** M = UᵀU, exact (integers below 2⁵³). */
    static double[] gram(double[] u, int d) {
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k <= Math.min(i, j); k++) {
                    s += u[k * d + i] * u[k * d + j];
                }
                m[i * d + j] = s;
            }
        }
        return m;
    }

    static void checkPotrf(PotrfRoutine routine) {
        for (int d : SIZES) {
            double[] u = knownFactor(d);
            double[] m = gram(u, d);
            double[] a = m.clone();
            int info = routine.potrf(d, a);
            if (info != 0) {
                throw wrong("dpotrf", "the Cholesky factorisation of a " + d + " x " + d + " matrix U'U with a known "
                        + "factor U (condition number below 10) returned info " + info + " instead of 0");
            }
            double err = 0;
            boolean lowerTouched = false;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    if (j >= i) {
                        err = Math.max(err, Math.abs(a[i * d + j] - u[i * d + j]));
                    } else if (a[i * d + j] != m[i * d + j]) {
                        lowerTouched = true;
                    }
                }
            }
            double tolerance = 64 * d * EPS * 2 * d;
            if (!(err <= tolerance) || lowerTouched) {
                throw wrong("dpotrf", String.format("the Cholesky factor of a %d x %d matrix U'U with a known factor U "
                        + "(condition number below 10) is off by up to %.3g (tolerance %.1g)%s", d, d, err, tolerance,
                        lowerTouched ? " and it wrote outside its triangle" : ""));
            }
        }
    }

    static void checkPotrs(PotrsRoutine routine) {
        for (int d : SIZES) {
            double[] u = knownFactor(d);
            double[] m = gram(u, d);
            double[] x0 = integers(1, d, 11);
            double[] b = new double[d];
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += m[i * d + j] * x0[j];
                }
                b[i] = s;
            }
            double[] factor = u.clone();
            int info = routine.potrs(d, factor, b);
            double err = maxDifference(b, x0);
            double tolerance = 64 * d * EPS * 3;
            if (info != 0 || !(err <= tolerance)) {
                throw wrong("dpotrs", String.format("the solve of U'U x = b with a known %d x %d factor U and an "
                        + "integer x returned info %d and an x off by up to %.3g (tolerance %.1g)", d, d, info, err,
                        tolerance));
            }
        }
    }

    static void checkPotri(PotriRoutine routine) {
        for (int d : SIZES) {
            double[] u = knownFactor(d);
            double[] m = gram(u, d);
            double[] inverse = u.clone();
            int info = routine.potri(d, inverse);
            Blas.symmetrizeFromUpper(d, inverse);
            // M (X z) = z for two integer probes z: O(d²) instead of forming M X
            double err = 0;
            for (int probe = 0; probe < 2; probe++) {
                double[] z = integers(1, d, 20 + probe);
                double[] y = multiply(inverse, d, z);
                double[] mz = multiply(m, d, y);
                err = Math.max(err, maxDifference(mz, z));
            }
            double tolerance = 64 * d * EPS * 10;
            if (info != 0 || !(err <= tolerance)) {
                throw wrong("dpotri", String.format("the inverse of a %d x %d matrix U'U from its known factor U "
                        + "returned info %d and M (M^-1 z) differs from z by up to %.3g for integer probes z (tolerance %.1g)", d, d, info, err,
                        tolerance));
            }
        }
    }

    static void checkSyevd(SyevdRoutine routine) {
        for (int n : new int[] {9, 33, 64, 128}) { // 0.3.19's SkylakeX dsyevd goes wrong from 128
            double[] m = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    m[i * n + j] = Math.min(i, j) + 1;
                }
            }
            double[] v = m.clone();
            double[] w = new double[n];
            int info = routine.syevd(n, v, w);
            double largest = 1 / (4 * Math.pow(Math.sin(Math.PI / (4 * n + 2)), 2));
            double valueError = 0;
            for (int k = 1; k <= n; k++) {
                double exact = 1 / (4 * Math.pow(Math.sin((2 * k - 1) * Math.PI / (4 * n + 2)), 2));
                valueError = Math.max(valueError, Math.abs(w[n - k] - exact));
            }
            // M z = V diag(w) V'z and V'(V z) = z for two integer probes z: O(n²) instead of MV − VW and V'V − I
            double residual = 0;
            double orthogonality = 0;
            for (int probe = 0; probe < 2; probe++) {
                double[] z = integers(1, n, 30 + probe);
                double[] mz = multiply(m, n, z);
                double[] t = new double[n];
                double[] vz = new double[n];
                for (int j = 0; j < n; j++) {
                    double a = 0;
                    double b = 0;
                    for (int i = 0; i < n; i++) {
                        a += v[i * n + j] * z[i];
                        b += v[j * n + i] * z[i];
                    }
                    t[j] = a;
                    vz[j] = b;
                }
                double[] vwt = new double[n];
                double[] vtvz = new double[n];
                for (int i = 0; i < n; i++) {
                    double a = 0;
                    double b = 0;
                    for (int j = 0; j < n; j++) {
                        a += v[i * n + j] * w[j] * t[j];
                        b += v[j * n + i] * vz[j];
                    }
                    vwt[i] = a;
                    vtvz[i] = b;
                }
                double zNorm = Vectors.norm(z);
                residual = Math.max(residual, maxDifference(mz, vwt) / zNorm);
                orthogonality = Math.max(orthogonality, maxDifference(vtvz, z) / zNorm);
            }
            double tolerance = 64 * n * EPS;
            if (info != 0 || !(valueError <= tolerance * largest) || !(residual <= tolerance * largest)
                    || !(orthogonality <= tolerance)) {
                throw wrong("dsyevd", String.format("the eigen-decomposition of the %d x %d matrix min(i, j), whose "
                        + "eigenvalues are known, returned info %d, eigenvalues off by up to %.3g, |Mz - V diag(w) V'z| = "
                        + "%.3g |z| and |V'Vz - z| = %.3g |z| for integer probes z (tolerances %.1g, %.1g, %.1g)", n, n,
                        info, valueError, residual, orthogonality, tolerance * largest, tolerance * largest,
                        tolerance));
            }
        }
    }

    /** A x for a row-major d × d A, in Java. */
    private static double[] multiply(double[] a, int d, double[] x) {
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += a[i * d + j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    private static double maxDifference(double[] x, double[] y) {
        double err = 0;
        for (int i = 0; i < x.length; i++) {
            double e = Math.abs(x[i] - y[i]);
            if (Double.isNaN(e)) {
                return Double.NaN;
            }
            err = Math.max(err, e);
        }
        return err;
    }
}
