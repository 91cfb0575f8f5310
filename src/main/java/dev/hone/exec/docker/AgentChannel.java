package dev.hone.exec.docker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hone's side of the two FIFOs it shares with the agent (agent.sh) in the bind-mounted run directory: requests go
 * out on {@code requests}, "ready" and "exit" reports come back on {@code events}. Hone holds both open read-write
 * for the session's life, so neither side ever blocks on opening, and the agent reads end-of-file, and ends, as
 * soon as Hone's process is gone.
 */
final class AgentChannel implements AutoCloseable {

    /**
     * How a trial's shell ended, as the agent saw it; {@code cpuMillis} and {@code peakMemoryBytes}, what its
     * processes used: null when the agent could not read them.
     */
    record Exit(int status, int oomKills, int pidsLimitHits, Long cpuMillis, Long peakMemoryBytes) {}

    private static final Logger LOG = LoggerFactory.getLogger(AgentChannel.class);

    private final FileChannel requests;
    private final FileChannel events;
    private final Path eventsPath;
    private final Map<Integer, CompletableFuture<Exit>> exits = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Thread reader;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AgentChannel(FileChannel requests, FileChannel events, Path eventsPath, String name) {
        this.requests = requests;
        this.events = events;
        this.eventsPath = eventsPath;
        this.reader = Thread.ofPlatform().daemon().name("hone-agent-events-" + name).unstarted(this::readEvents);
    }

    /** Creates the FIFOs in {@code dir} (mode 0600, given to the container's user) and opens them. */
    static AgentChannel create(Path dir, Ownership ownership, String name) {
        Path requests = dir.resolve("requests");
        Path events = dir.resolve("events");
        mkfifo(requests, events);
        ownership.give(requests);
        ownership.give(events);
        try {
            AgentChannel channel = new AgentChannel(
                    FileChannel.open(requests, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    FileChannel.open(events, StandardOpenOption.READ, StandardOpenOption.WRITE), events, name);
            channel.reader.start();
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the agent's FIFOs in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void mkfifo(Path... fifos) {
        String[] command = new String[fifos.length + 3];
        command[0] = "mkfifo";
        command[1] = "-m";
        command[2] = "0600";
        for (int i = 0; i < fifos.length; i++) {
            command[i + 3] = fifos[i].toString();
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("mkfifo failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run mkfifo: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the agent's FIFOs", e);
        }
    }

    /** Completes when the agent listens. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** Asks the agent to start trial {@code id}; the future completes when its shell has ended. */
    CompletableFuture<Exit> start(int id) {
        CompletableFuture<Exit> exit = exits.computeIfAbsent(id, k -> new CompletableFuture<>());
        send("run " + id);
        return exit;
    }

    /** Asks the agent to stop trial {@code id}: SIGTERM to its process group, SIGKILL after {@code graceSeconds}. */
    void kill(int id, double graceSeconds) {
        send("kill " + id + " " + String.format(Locale.ROOT, "%.3f", graceSeconds));
    }

    /** Forgets a trial whose exit will never be awaited. */
    void forget(int id) {
        exits.remove(id);
    }

    private synchronized void send(String line) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
        try {
            while (bytes.hasRemaining()) {
                requests.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the agent: " + e.getMessage(), e);
        }
    }

    private void readEvents() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Channels.newInputStream(events), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] word = line.strip().split(" ");
                switch (word[0]) {
                    case "ready" -> ready.complete(null);
                    case "bye" -> { return; }
                    case "exit" -> {
                        CompletableFuture<Exit> exit = exits.remove(Integer.parseInt(word[1]));
                        if (exit != null) {
                            exit.complete(new Exit(Integer.parseInt(word[2]), Integer.parseInt(word[3]),
                                    Integer.parseInt(word[4]), figure(word, 5), figure(word, 6)));
                        }
                    }
                    default -> LOG.warn("unexpected line from the trial agent: {}", line);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("the agent's events ended", e);
        }
    }

    /** Word {@code i} of an event as a number; null when missing or -1 (the agent could not read it). */
    private static Long figure(String[] word, int i) {
        long value = word.length > i ? Long.parseLong(word[i]) : -1;
        return value < 0 ? null : value;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // a channel of its own: the reader's channel is locked by its blocking read
        try (FileChannel bye = FileChannel.open(eventsPath, StandardOpenOption.WRITE)) {
            bye.write(ByteBuffer.wrap("bye\n".getBytes(StandardCharsets.US_ASCII)));
            reader.join(1000);
        } catch (IOException e) {
            LOG.debug("cannot tell the events reader to stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (FileChannel channel : new FileChannel[] {requests, events}) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing an agent FIFO failed", e);
            }
        }
    }
}
