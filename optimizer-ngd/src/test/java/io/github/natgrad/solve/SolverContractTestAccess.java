package io.github.natgrad.solve;

import org.apache.commons.math3.linear.RealMatrix;

/** Lets tests in other packages build the contract test's matrices. */
public final class SolverContractTestAccess {
    private SolverContractTestAccess() {
    }

    /** A random symmetric matrix with the given eigenvalues. */
    public static RealMatrix withEigenvalues(double[] w, long seed) {
        return SolverContractTest.withEigenvalues(w, seed);
    }

    /** The matrix as a row-major array. */
    public static double[] rowMajor(RealMatrix m) {
        return SolverContractTest.rowMajor(m);
    }
}
