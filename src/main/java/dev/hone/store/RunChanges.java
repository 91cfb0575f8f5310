package dev.hone.store;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is told, in this process, that a run changed: one per opened store, told by its writes once they commit (a run
 * queued, claimed, re-queued or ended, a trial saved, a best trial or an event recorded). A listener that fails does
 * not fail the write, nor stop the others.
 */
final class RunChanges {

    private static final Logger LOG = LoggerFactory.getLogger(RunChanges.class);

    private final Set<LongConsumer> listeners = new CopyOnWriteArraySet<>();

    Store.Watch add(LongConsumer listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Run {@code runId} changed; {@code changed} false (an update that matched no row): nothing to tell. */
    <T> T told(long runId, T result) {
        if (!Boolean.FALSE.equals(result)) {
            for (LongConsumer listener : listeners) {
                try {
                    listener.accept(runId);
                } catch (RuntimeException e) {
                    LOG.warn("event=run_change_listener_failed run={} reason=\"{}\"", runId, e.toString());
                }
            }
        }
        return result;
    }
}
