package io.github.natgrad.solve;

import io.github.natgrad.Solver;

/** The solver contract for {@link Solvers#eigen()}. */
class EigenSolverTest extends SolverContractTest {
    @Override
    Solver solver() {
        return Solvers.eigen();
    }
}
