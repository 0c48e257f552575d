package io.github.natgrad.solve;

import io.github.natgrad.Solver;

/** The solver contract for {@link Solvers#cholesky()}. */
class CholeskySolverTest extends SolverContractTest {
    @Override
    Solver solver() {
        return Solvers.cholesky();
    }
}
