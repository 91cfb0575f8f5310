package dev.hone.serving;

import dev.hone.exec.Containers;
import org.slf4j.LoggerFactory;

/** What a deployment serves now: where it came from, its container, the port it forwards to, and the watch on it. */
record Serving(Deployments.Target target, Containers.Started started, Forwarder.Backend backend,
               AutoCloseable watch) {

    /** Stops hearing of its container's end (it is being replaced, or Hone stops supervising). */
    void unwatch() {
        unwatch(watch);
    }

    static void unwatch(AutoCloseable watch) {
        try {
            watch.close();
        } catch (Exception e) {
            LoggerFactory.getLogger(Serving.class).debug("closing a watch failed", e);
        }
    }
}
