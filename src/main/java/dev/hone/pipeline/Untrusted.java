package dev.hone.pipeline;

import dev.hone.spec.Spec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spec of a pull or merge request's run: its code is not trusted, so it runs in a Docker container without
 * network, its {@code train.env} keeps no value that holds one of Hone's secrets, and it serves no model.
 */
final class Untrusted {

    private Untrusted() {}

    static Spec of(Spec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        if (spec.train().env() != null) {
            spec.train().env().forEach((name, value) -> {
                if (spec.train().secrets().stream().noneMatch(value::contains)) {
                    env.put(name, value);
                }
            });
        }
        Spec.Train train = new Spec.Train(spec.train().secrets().stream().anyMatch(s -> spec.train().command() != null
                && spec.train().command().contains(s)) ? null : spec.train().command(), spec.train().timeout(), env);
        Spec.Environment e = spec.environment();
        Spec.Environment isolated = new Spec.Environment(Spec.Executor.DOCKER, e.image(), e.dockerfile(), e.cpus(),
                e.memoryBytes(), Spec.Network.NONE, e.gpus(), e.kubernetes(), e.slurm());
        return new Spec(spec.name(), train, isolated, spec.metric(), spec.tune(), spec.notifications(), null,
                spec.data());
    }
}
