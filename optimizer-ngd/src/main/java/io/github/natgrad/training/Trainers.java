package io.github.natgrad.training;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The trainers of the {@code train} command by {@code --model} name: the single extension point of the
 * command. The generalised linear models (linear, logistic, probit, softmax) are trained full batch by
 * {@link GlmTrainer}; a network trainer adds itself here, e.g. {@code "mlp"}.
 */
public final class Trainers {
    private static final Map<String, Supplier<Trainer>> TRAINERS = new LinkedHashMap<>();

    static {
        for (String glm : GlmTrainer.MODELS) {
            TRAINERS.put(glm, GlmTrainer::new);
        }
        // "mlp" is dispatched by optimizer-cli's TrainCommand to NetworkTrainCommand, whose options differ
    }

    private Trainers() {
    }

    /** The model names {@code --model} accepts. */
    public static String names() {
        return String.join("|", TRAINERS.keySet());
    }

    /** The trainer for a model name. */
    public static Trainer forModel(String model) {
        Supplier<Trainer> s = TRAINERS.get(model);
        if (s == null) {
            throw new IllegalArgumentException("unknown --model '" + model + "'; choose one of " + names());
        }
        return s.get();
    }
}
