/**
 * Serving the best model ({@code serve:} of hone.yaml): {@link dev.hone.serving.Deployments} puts the model of a run
 * that reached its target in a health-checked container of the run's image behind a port Hone owns, keeps it running
 * per {@code serve.restart} (a {@link dev.hone.restart.Supervisor} on the injected clock), checks it stays alive,
 * replaces it blue-green when a better model comes, and takes over the containers an earlier Hone served. Containers
 * are reached through {@link dev.hone.exec.Containers}; restarts and give-ups go to the run's events through the
 * {@code alerts} a request carries.
 */
package dev.hone.serving;
