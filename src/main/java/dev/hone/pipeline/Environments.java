package dev.hone.pipeline;

import dev.hone.exec.Executor;
import dev.hone.spec.InvalidSpecException;
import dev.hone.spec.Spec;

/** Chooses where a run trains, and says why. */
public final class Environments {

    private final Executor local;

    public Environments(Executor local) {
        this.local = local;
    }

    record Choice(Executor executor, String reason) {}

    Choice choose(Spec.Executor wanted) {
        return switch (wanted) {
            case LOCAL -> new Choice(local, "as configured");
            case AUTO -> new Choice(local, "auto: this version trains with local processes");
            case DOCKER -> throw InvalidSpecException.of("hone.yaml", "environment.executor",
                    "the docker executor is not available in this version of Hone: use executor: local");
        };
    }
}
