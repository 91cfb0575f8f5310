/**
 * Training in Docker: {@link dev.hone.exec.docker.DockerExecutor} runs a run's trials and rebuild program in one
 * long-lived workspace container per run, through a small agent inside it (no {@code docker exec} per trial). The
 * container is watched on the daemon's event stream ({@code die}, {@code oom}, {@code kill}, by label): when it dies
 * under its trials it is started again from the same configuration per a {@link dev.hone.restart.RestartPolicy}
 * and the trials run again, each counted once; past the policy the session gives up with the reason.
 * {@link dev.hone.exec.docker.DockerContainers} runs the containers of {@code dev.hone.serving}'s deployments;
 * {@link dev.hone.exec.docker.Images} names Hone's images and {@code image: auto}'s choice;
 * {@link dev.hone.exec.docker.Docker} finds the daemon and says whether it answers (for {@code executor: auto});
 * {@link dev.hone.exec.docker.DockerEngine} is the few Engine API calls {@code dev.hone.bench} makes to measure
 * what a trial and a crash cost here. The only package where docker-java types appear.
 */
package dev.hone.exec.docker;
