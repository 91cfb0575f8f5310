package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.hone.time.Backoff;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's event stream for the containers Hone owns (label {@value WorkspaceContainer#OWNER}): one stream per
 * executor, opened while some container is watched, filtered by the daemon to {@code die}, {@code oom} and
 * {@code kill}. A watched container's death is reported once, on a thread of its own, as soon as its {@code die}
 * event arrives. When the stream breaks (the daemon restarted) it is opened again with back-off from the last event
 * seen, and every watched container is looked at: one that stopped or vanished meanwhile is reported dead too.
 */
final class DockerEvents {

    /**
     * How a container ended. {@code exitCode} -1: unknown (it vanished); {@code signal}: of the last {@code kill}
     * sent to it (docker kill, docker stop), null when none; {@code at}: when the daemon saw it.
     */
    record Death(String containerId, int exitCode, boolean oomKilled, String signal, boolean vanished, Instant at) {

        /** "exit 137, killed by SIGKILL", "exit 137, out of memory", "the container vanished". */
        String reason() {
            if (vanished) {
                return "the container vanished" + (exitCode >= 0 ? " (exit " + exitCode + ")" : "");
            }
            String why = oomKilled ? ", out of memory" : signal != null ? ", killed by " + signalName(signal)
                    : exitCode > 128 && exitCode <= 128 + 64 ? ", killed by signal " + (exitCode - 128) : "";
            return "exit " + exitCode + why;
        }

        private static String signalName(String signal) {
            return switch (signal) {
                case "9" -> "SIGKILL";
                case "15" -> "SIGTERM";
                case "2" -> "SIGINT";
                default -> signal.startsWith("SIG") ? signal : "signal " + signal;
            };
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DockerEvents.class);
    /** The wait before opening an ended event stream again: 100 ms, doubling up to 5 s while it keeps ending. */
    private static final Backoff RECONNECT = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final Map<String, String> env;
    private final Map<String, Consumer<Death>> watched = new ConcurrentHashMap<>();
    private final Map<String, String> signals = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ooms = new ConcurrentHashMap<>();
    private Thread stream; // guarded by this
    private volatile ResultCallback.Adapter<Event> callback;
    private volatile String since;

    DockerEvents(Map<String, String> env) {
        this.env = env;
    }

    /**
     * Reports {@code containerId}'s death to {@code onDeath}, once. Closing the returned handle stops watching (do it
     * before removing the container on purpose).
     */
    AutoCloseable watch(String containerId, Consumer<Death> onDeath) {
        watched.put(containerId, onDeath);
        ensureStream();
        return () -> unwatch(containerId);
    }

    private void unwatch(String containerId) {
        watched.remove(containerId);
        signals.remove(containerId);
        ooms.remove(containerId);
        synchronized (this) {
            if (watched.isEmpty() && stream != null) {
                stream.interrupt();
                closeCallback();
                stream = null;
            }
        }
    }

    private synchronized void ensureStream() {
        if (stream == null) {
            if (since == null) {
                since = timestamp(Instant.now().minusSeconds(1));
            }
            CountDownLatch started = new CountDownLatch(1);
            stream = Thread.ofPlatform().daemon().name("hone-docker-events").start(() -> follow(started));
            try {
                // events from here on are not missed: the daemon replays them from `since` anyway
                started.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void follow(CountDownLatch started) {
        int endings = 0;
        boolean first = true;
        try (DockerClient client = Docker.client(env, null);
             DockerClient quick = Docker.client(env, Docker.PING_TIMEOUT)) {
            while (!Thread.currentThread().isInterrupted()) {
                ResultCallback.Adapter<Event> cb = new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Event event) {
                        handle(event);
                    }
                };
                callback = cb;
                try {
                    client.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter("die", "oom", "kill")
                            .withLabelFilter(WorkspaceContainer.OWNER).withSince(since).exec(cb);
                    if (cb.awaitStarted(10, TimeUnit.SECONDS)) {
                        started.countDown();
                        if (!first) {
                            LOG.info("the Docker event stream is back; looking at the watched containers");
                            reconcile(quick);
                        }
                        first = false;
                        endings = 0;
                        cb.awaitCompletion();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.debug("the Docker event stream failed", e);
                }
                started.countDown();
                if (Thread.currentThread().isInterrupted() || watched.isEmpty()) {
                    return;
                }
                first = false;
                Duration wait = RECONNECT.delay(++endings);
                LOG.warn("the Docker event stream ended; opening it again in {} ms", wait.toMillis());
                Thread.sleep(wait);
            }
        } catch (InterruptedException e) {
            // watching ended
        } catch (IOException e) {
            LOG.debug("closing the event clients failed", e);
        } finally {
            started.countDown();
            synchronized (this) {
                if (stream == Thread.currentThread()) {
                    stream = null;
                }
            }
        }
    }

    private void handle(Event event) {
        String id = event.getActor() != null && event.getActor().getId() != null ? event.getActor().getId()
                : event.getId();
        if (event.getTimeNano() != null) {
            long nanos = event.getTimeNano();
            since = (nanos / 1_000_000_000L) + "." + String.format("%09d", nanos % 1_000_000_000L);
        }
        if (id == null || !watched.containsKey(id)) {
            return;
        }
        String action = event.getAction() != null ? event.getAction() : event.getStatus();
        Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                ? Map.of() : event.getActor().getAttributes();
        switch (action == null ? "" : action) {
            case "kill" -> signals.put(id, attributes.getOrDefault("signal", "?"));
            case "oom" -> ooms.put(id, true);
            case "die" -> {
                int exit = parse(attributes.get("exitCode"));
                Instant at = event.getTimeNano() != null ? Instant.EPOCH.plusNanos(event.getTimeNano()) : Instant.now();
                deliver(new Death(id, exit, ooms.containsKey(id), signals.get(id), false, at));
            }
            default -> { }
        }
    }

    /** After a gap in the stream: a watched container that is not running any more died meanwhile. */
    private void reconcile(DockerClient quick) {
        for (String id : watched.keySet()) {
            try {
                InspectContainerResponse.ContainerState state = quick.inspectContainerCmd(id).exec().getState();
                if (!Boolean.TRUE.equals(state.getRunning())) {
                    Long code = state.getExitCodeLong();
                    deliver(new Death(id, code == null ? -1 : code.intValue(),
                            Boolean.TRUE.equals(state.getOOMKilled()), signals.get(id), false, Instant.now()));
                }
            } catch (NotFoundException e) {
                deliver(new Death(id, -1, false, null, true, Instant.now()));
            } catch (RuntimeException e) {
                LOG.debug("cannot look at container {}", id, e);
            }
        }
    }

    private void deliver(Death death) {
        Consumer<Death> listener = watched.remove(death.containerId());
        signals.remove(death.containerId());
        ooms.remove(death.containerId());
        if (listener != null) {
            Thread.ofVirtual().name("hone-container-died").start(() -> listener.accept(death));
        }
    }

    private void closeCallback() {
        ResultCallback.Adapter<Event> cb = callback;
        if (cb != null) {
            try {
                cb.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the event stream failed", e);
            }
        }
    }

    private static int parse(String code) {
        try {
            return code == null ? -1 : Integer.parseInt(code.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String timestamp(Instant at) {
        return at.getEpochSecond() + "." + String.format("%09d", at.getNano());
    }
}
