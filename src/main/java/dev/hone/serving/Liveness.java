package dev.hone.serving;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keeps asking the serving container's health endpoint, every {@link Deployments.Options#livenessInterval()}. After
 * {@link Deployments.Options#livenessFailures()} failed checks in a row (an error status, no answer, an endpoint
 * that hangs) the container is killed, which its supervision treats like a crash: started again per the policy,
 * with the failed check as the reason.
 */
final class Liveness implements AutoCloseable {

    private final Deployment deployment;
    private final HealthCheck health;
    private final Deployments.Options options;
    private final Consumer<String> kill;
    private final Map<String, String> reasons = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile Serving watched;
    private volatile boolean closed;

    Liveness(Deployment deployment, HealthCheck health, Deployments.Options options, Consumer<String> kill) {
        this.deployment = deployment;
        this.health = health;
        this.options = options;
        this.kill = kill;
        this.thread = Thread.ofVirtual().name("hone-serve-liveness").start(this::loop);
    }

    /** From now on, checks {@code serving}. */
    void watch(Serving serving) {
        watched = serving;
    }

    /** Why container {@code id} was killed, when it was killed for failing its checks. */
    Optional<String> reasonFor(String id) {
        return Optional.ofNullable(reasons.remove(id));
    }

    private void loop() {
        int failures = 0;
        Serving last = null;
        while (!closed) {
            try {
                Thread.sleep(options.livenessInterval());
            } catch (InterruptedException e) {
                return;
            }
            Serving s = watched;
            if (s == null || s != deployment.current() || !"serving".equals(deployment.state())) {
                continue;
            }
            if (s != last) {
                failures = 0;
                last = s;
            }
            Optional<String> problem = health.check(s.started().hostPort(), s.target().serve().health());
            failures = problem.isPresent() ? failures + 1 : 0;
            if (problem.isPresent() && failures >= options.livenessFailures()) {
                reasons.put(s.started().id(), "its health check failed " + failures + " times in a row ("
                        + problem.get() + ")");
                failures = 0;
                kill.accept(s.started().id());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
