package io.github.natgrad.curvature;

import io.github.natgrad.Batch;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Factorization;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.Solver;
import io.github.natgrad.Spectrum;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * C = I: the step is (1 + λ)⁻¹ g, plain gradient descent when λ = 0. Never forms a D × D matrix; the
 * prior's curvature is not added (its gradient still is).
 */
final class IdentityCurvature implements Curvature {

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public Set<ModelCapability> requires() {
        return Set.of();
    }

    @Override
    public boolean includesPrior() {
        return false;
    }

    @Override
    public CurvatureSystem build(Linearization linearization, Batch batch, Likelihood likelihood, double[] residual,
            double priorPrecision, Solver solver) {
        return new IdentitySystem(linearization.parameterCount());
    }

    @Override
    public Set<ModelCapability> requiresMatrixFree() {
        return Set.of();
    }

    @Override
    public CurvatureOperator operator(Linearization linearization, Batch batch, Likelihood likelihood,
            double[] residual, double priorPrecision) {
        int d = linearization.parameterCount();
        return new CountingOperator("identity", d) {
            @Override
            protected void apply(double[] v, double[] out) {
                System.arraycopy(v, 0, out, 0, d);
            }

            @Override
            public boolean positiveSemidefinite() {
                return true;
            }

            @Override
            public Optional<double[]> diagonal() {
                return Optional.of(ones(d));
            }
        };
    }

    private static double[] ones(int d) {
        double[] one = new double[d];
        Arrays.fill(one, 1.0);
        return one;
    }

    @Override
    public Curvature copy() {
        return this;
    }

    /** The identity operator of dimension d. */
    record IdentitySystem(int dimension) implements CurvatureSystem {
        @Override
        public String kind() {
            return "identity";
        }

        @Override
        public void multiply(double[] v, double[] out) {
            System.arraycopy(v, 0, out, 0, dimension);
        }

        @Override
        public Optional<Factorization> factor(double lambda) {
            if (!(1 + lambda > 0)) {
                return Optional.empty();
            }
            double s = 1.0 / (1.0 + lambda);
            return Optional.of((b, x) -> {
                for (int i = 0; i < dimension; i++) {
                    x[i] = s * b[i];
                }
            });
        }

        @Override
        public Optional<double[]> diagonal() {
            return Optional.of(ones(dimension));
        }

        @Override
        public Spectrum spectrum() {
            return new Spectrum() {
                @Override
                public double[] eigenvalues() {
                    double[] w = new double[dimension];
                    Arrays.fill(w, 1.0);
                    return w;
                }

                @Override
                public double min() {
                    return 1;
                }

                @Override
                public double max() {
                    return 1;
                }

                @Override
                public Factorization inverse(DoubleUnaryOperator map) {
                    double s = 1.0 / map.applyAsDouble(1.0);
                    return (b, x) -> {
                        for (int i = 0; i < dimension; i++) {
                            x[i] = s * b[i];
                        }
                    };
                }
            };
        }

        @Override
        public double[] toDense() {
            double[] c = new double[dimension * dimension];
            for (int i = 0; i < dimension; i++) {
                c[i * dimension + i] = 1;
            }
            return c;
        }
    }
}
