package dev.hone.pipeline;

import dev.hone.detect.Framework;
import dev.hone.exec.Executor;
import dev.hone.exec.docker.Docker;
import dev.hone.exec.docker.DockerExecutor;
import dev.hone.exec.docker.Images;
import dev.hone.exec.kubernetes.KubernetesExecutor;
import dev.hone.exec.slurm.SlurmExecutor;
import dev.hone.spec.Spec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses where a run trains and says why: {@code local} processes, the {@code docker} workspace container, or
 * {@code kubernetes} Jobs (never chosen by {@code auto}), {@code slurm} batch jobs (as the spec's
 * {@code environment.slurm} asks); {@code auto} is Docker when the daemon answers, else local. A spec that says
 * {@code auto} follows the
 * installation's default ({@code executor:} in hone-server.yaml) when that names one.
 */
public final class Environments {

    private final Map<String, String> env;
    private final Executor local;
    private final DockerExecutor docker;
    private final KubernetesExecutor kubernetes;
    private final SlurmExecutor slurm;
    private final Spec.Executor installationDefault;

    public Environments(Map<String, String> env, Executor local, DockerExecutor docker,
                        KubernetesExecutor kubernetes, SlurmExecutor slurm, Spec.Executor installationDefault) {
        this.env = env;
        this.local = local;
        this.docker = docker;
        this.kubernetes = kubernetes;
        this.slurm = slurm;
        this.installationDefault = installationDefault;
    }

    record Choice(Executor executor, String reason) {

        /** Whether trials run on this machine, and so take its GPUs; a cluster's nodes have their own. */
        boolean onThisMachine() {
            return !(executor instanceof KubernetesExecutor || executor instanceof SlurmExecutor);
        }

        /**
         * Whether a resumed run's trials that were running are taken over by the executor (their Slurm jobs, still
         * queued, running, or ended meanwhile), so their output directories must be kept.
         */
        boolean adoptsJobs() {
            return executor instanceof SlurmExecutor;
        }
    }

    /**
     * Where {@code spec} trains. With {@code auto}, Docker when the daemon answers and has the run's image (or the
     * spec builds its own from a Dockerfile), else local processes, saying why.
     */
    Choice choose(Spec spec, Framework framework) {
        Spec.Executor wanted = spec.environment().executor();
        Spec.Executor effective = wanted == Spec.Executor.AUTO ? installationDefault : wanted;
        String why = wanted == Spec.Executor.AUTO && effective != Spec.Executor.AUTO
                ? "the installation's default" : "as configured";
        return switch (effective) {
            case LOCAL -> new Choice(local, why);
            case DOCKER -> new Choice(docker, why);
            case KUBERNETES -> new Choice(kubernetes.configured(spec.environment().kubernetes(),
                    spec.environment().gpus()), why);
            case SLURM -> new Choice(slurm.with(slurmOptions(spec.environment())), why);
            case AUTO -> auto(spec.environment(), framework);
        };
    }

    private static SlurmExecutor.Options slurmOptions(Spec.Environment e) {
        Spec.Slurm s = e.slurm();
        return new SlurmExecutor.Options(s.partition(), s.account(), s.qos(), s.constraint(), s.extraArgs(), e.gpus());
    }

    private Choice auto(Spec.Environment e, Framework framework) {
        Optional<String> down = Docker.unavailableReason(env);
        if (down.isPresent()) {
            return new Choice(local, "auto: " + down.get());
        }
        if (e.dockerfile() != null) {
            return new Choice(docker, "auto: Docker answers at " + Docker.host(env) + " and the project builds its"
                    + " image from " + e.dockerfile() + " (environment.dockerfile)");
        }
        boolean detected = e.image() == null || e.image().equals("auto");
        String image = detected ? Images.forFramework(framework) : e.image();
        return docker.unavailableFor(image)
                .map(why -> new Choice(local, why.startsWith("image ")
                        ? "auto: Docker answers at " + Docker.host(env) + " but has no image " + image
                          + "; Hone does not pull images: images/build-offline.sh or docker build makes it"
                        : "auto: " + why.lines().findFirst().orElse(why)))
                .orElseGet(() -> new Choice(docker, "auto: Docker answers at " + Docker.host(env) + " and has "
                        + image + (detected ? ", the image for " + framework.label() + " projects"
                        : " (environment.image)")));
    }

    /**
     * The image a run's session starts from (the Dockerfile built when the spec names one), ready in the daemon;
     * for the local executor the spec's image as written (it is not used).
     */
    /** The content of {@code image} as Docker has it now (its id and registry digests); null but for Docker. */
    String digest(Choice choice, String image) {
        return choice.executor() == docker && image != null ? docker.digest(image).orElse(null) : null;
    }

    String image(Choice choice, Path workspace, Spec spec, Framework framework) {
        Spec.Environment e = spec.environment();
        if (choice.executor() instanceof KubernetesExecutor) {
            return e.image() == null || e.image().equals("auto") ? Images.forFramework(framework) : e.image();
        }
        if (choice.executor() != docker) {
            return e.image();
        }
        return docker.image(workspace, spec.name(), e.image(), e.dockerfile(), framework);
    }
}
