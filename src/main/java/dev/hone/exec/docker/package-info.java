/**
 * Training in Docker: {@link dev.hone.exec.docker.DockerExecutor} runs a run's trials and rebuild program in one
 * long-lived workspace container per run, through a small agent inside it (no {@code docker exec} per trial);
 * {@link dev.hone.exec.docker.Images} names Hone's images and {@code image: auto}'s choice;
 * {@link dev.hone.exec.docker.Docker} finds the daemon and says whether it answers (for {@code executor: auto});
 * {@link dev.hone.exec.docker.DockerOverheadBench} measures what a trial costs here against a fresh
 * {@code docker run}. The only package where docker-java types appear.
 */
package dev.hone.exec.docker;
