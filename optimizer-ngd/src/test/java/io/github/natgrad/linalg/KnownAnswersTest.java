package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The known-answer checks run on each BLAS/LAPACK routine's first use: the real OpenBLAS routines pass, and
 * a deliberately wrong implementation of each (wrong in the way OpenBLAS 0.3.19's SkylakeX kernels are: a
 * status of 0 with wrong numbers, from d = 33 up) is caught with a message that names the routine, the
 * OpenBLAS in use and the remedy.
 */
class KnownAnswersTest {

    @Test
    void theRealRoutinesPass() {
        assertDoesNotThrow(() -> KnownAnswers.checkGemm(KnownAnswers.DGEMM));
        assertDoesNotThrow(() -> KnownAnswers.checkGemv(KnownAnswers.DGEMV));
        assertDoesNotThrow(() -> KnownAnswers.checkSyrk(KnownAnswers.DSYRK));
        assertDoesNotThrow(() -> KnownAnswers.checkSymv(KnownAnswers.DSYMV));
        assertDoesNotThrow(() -> KnownAnswers.checkPotrf(KnownAnswers.DPOTRF));
        assertDoesNotThrow(() -> KnownAnswers.checkPotrs(KnownAnswers.DPOTRS));
        assertDoesNotThrow(() -> KnownAnswers.checkPotri(KnownAnswers.DPOTRI));
        assertDoesNotThrow(() -> KnownAnswers.checkSyevd(KnownAnswers.DSYEVD));
        assertDoesNotThrow(Blas::checkKernels);
    }

    private static void assertCaught(String routine, Executable check) {
        BlasKernelException e = assertThrows(BlasKernelException.class, check);
        assertEquals(routine, e.routine());
        String m = e.getMessage();
        assertTrue(m.startsWith(routine + " gave a wrong answer: known-answer check"), m);
        assertTrue(m.contains(Blas.describe()), "names the OpenBLAS version and kernel: " + m);
        assertTrue(m.contains("OPENBLAS_CORETYPE=Haswell") && m.contains("org.bytedeco:openblas"),
                "names the remedy: " + m);
    }

    @Test
    void aWrongProductIsCaught() {
        // one entry off by one when the inner dimension is 64, as a kernel for long dot products might be
        assertCaught("dgemm", () -> KnownAnswers.checkGemm((ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) -> {
            KnownAnswers.DGEMM.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            if (k == 64 && tb) {
                c[c.length - 1] += 1;
            }
        }));
        assertCaught("dgemv", () -> KnownAnswers.checkGemv((t, m, n, alpha, a, x, beta, y) -> {
            KnownAnswers.DGEMV.gemv(t, m, n, alpha, a, x, beta, y);
            if (t) {
                y[0] = Math.nextUp(y[0]);
            }
        }));
        // a Gram product that also writes the triangle it must leave alone
        assertCaught("dsyrk", () -> KnownAnswers.checkSyrk((d, rows, alpha, g, beta, c) -> {
            KnownAnswers.DSYRK.syrk(d, rows, alpha, g, beta, c);
            Blas.symmetrizeFromUpper(d, c);
        }));
        // a symmetric product that reads the wrong triangle
        assertCaught("dsymv", () -> KnownAnswers.checkSymv((upper, d, a, x, y) -> KnownAnswers.DSYMV.symv(!upper, d, a, x,
                y)));
    }

    @Test
    void aWrongFactorisationOrSolveIsCaught() {
        // status 0 and a factor wrong by 0.1 from d = 33 up: what 0.3.19's SkylakeX dpotrf returned
        assertCaught("dpotrf", () -> KnownAnswers.checkPotrf((d, a) -> {
            int info = KnownAnswers.DPOTRF.potrf(d, a);
            if (d >= 33) {
                a[d + 2] += 0.1;
            }
            return info;
        }));
        // a spurious failure on a matrix that is positive definite
        assertCaught("dpotrf", () -> KnownAnswers.checkPotrf((d, a) -> d >= 33 ? 9 : KnownAnswers.DPOTRF.potrf(d, a)));
        assertCaught("dpotrs", () -> KnownAnswers.checkPotrs((d, f, b) -> {
            int info = KnownAnswers.DPOTRS.potrs(d, f, b);
            b[d / 2] *= 1 + 1e-9;
            return info;
        }));
        assertCaught("dpotri", () -> KnownAnswers.checkPotri((d, f) -> {
            int info = KnownAnswers.DPOTRI.potri(d, f);
            f[1] += 1e-6;
            return info;
        }));
    }

    @Test
    void aWrongEigenDecompositionIsCaught() {
        // right eigenvalues, one eigenvector wrong (0.3.19's SkylakeX dsyevd at d >= 128)
        assertCaught("dsyevd", () -> KnownAnswers.checkSyevd((d, a, w) -> {
            int info = KnownAnswers.DSYEVD.syevd(d, a, w);
            if (d >= 128) {
                a[5 * d + 3] += 0.01;
            }
            return info;
        }));
        // eigenvalues not those of the matrix
        assertCaught("dsyevd", () -> KnownAnswers.checkSyevd((d, a, w) -> {
            int info = KnownAnswers.DSYEVD.syevd(d, a, w);
            w[0] *= 1.001;
            return info;
        }));
        // NaN
        assertCaught("dsyevd", () -> KnownAnswers.checkSyevd((d, a, w) -> {
            int info = KnownAnswers.DSYEVD.syevd(d, a, w);
            a[0] = Double.NaN;
            return info;
        }));
    }

    @Test
    void aFailedCheckIsThrownAgainAtEveryLaterUse() {
        BlasKernelException first = assertThrows(BlasKernelException.class,
                () -> KnownAnswers.checkPotrs((d, f, b) -> 0)); // a solve that does nothing
        BlasKernelException second = assertThrows(BlasKernelException.class, () -> KnownAnswers.require(first));
        BlasKernelException third = assertThrows(BlasKernelException.class, () -> KnownAnswers.require(first));
        assertEquals(first.getMessage(), second.getMessage());
        assertEquals(first.getMessage(), third.getMessage());
        assertSame(first, second.getCause());
        assertEquals("dpotrs", third.routine());
    }

    @Test
    void theThreadCountIsOneSetThreadsAccepts() {
        int threads = Blas.threads();
        assertTrue(threads >= 1, "Blas.threads() = " + threads + ", which Blas.setThreads refuses");
        // what it reports when OpenBLAS itself has no answer (some builds say -1 before initialisation)
        assertEquals(3, Blas.startingThreads("3", "2", 8));
        assertEquals(2, Blas.startingThreads(null, "2", 8));
        assertEquals(8, Blas.startingThreads("zero", "-1", 8));
        assertEquals(1, Blas.startingThreads(null, null, 0));
    }
}
