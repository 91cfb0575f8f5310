/**
 * Supervision: what keeps Hone's containers running and Hone's work going across crashes.
 * {@link dev.hone.supervise.RestartPolicy} says when a stopped container is started again ({@code on-failure |
 * always | never}, {@code max_restarts}, an exponential back-off with a cap of your choosing, reset after a healthy
 * period) and {@link dev.hone.supervise.Supervisor} applies it start after start on an injected clock;
 * {@link dev.hone.supervise.Deployments} serves the model of a run that reached its target ({@code serve:} of
 * hone.yaml) in a supervised, health-checked container behind a port Hone owns, replaced blue-green by a better one;
 * {@link dev.hone.supervise.Alerts} records {@code container_restarted} / {@code container_gave_up} on the run and
 * notifies; {@link dev.hone.supervise.Recovery} lets a restarted {@code hone serve} continue the runs an earlier one
 * did not end. Containers are reached through {@link dev.hone.supervise.Containers} (records only; implemented in
 * {@code dev.hone.exec.docker}), which also relaunches a run's workspace container with this package's policy.
 */
package dev.hone.supervise;
