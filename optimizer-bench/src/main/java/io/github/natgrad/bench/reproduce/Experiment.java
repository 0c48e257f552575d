package io.github.natgrad.bench.reproduce;

import java.util.Locale;

/**
 * The experiments {@code natgrad reproduce} runs, named on its command line in lower case
 * ({@code vecfield}, {@code misspec}, {@code optim}, {@code damping}, {@code all}); picocli rejects any other
 * name with a message listing these.
 */
public enum Experiment {
    /** Fig. 1: the vector fields of GD, NGD and EF on a 2-D linear regression ({@link VecfieldExperiment}). */
    VECFIELD,
    /** Fig. 2: Fisher and empirical Fisher at θ* on misspecified problems ({@link MisspecExperiment}). */
    MISSPEC,
    /** Fig. 3: the step size × damping grid of GD, NGD and EFGD ({@link OptimExperiment}). */
    OPTIM,
    /** Beyond the paper: damping policies for an indefinite MLP Hessian ({@link MlpDampingExperiment}). */
    DAMPING,
    /** Every experiment above. */
    ALL;

    /** Whether running this choice runs {@code experiment} (itself, or any for {@link #ALL}). */
    public boolean includes(Experiment experiment) {
        return this == ALL || this == experiment;
    }

    /** The name users type: lower case. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
