package dev.hone.bench;

import dev.hone.error.HoneException;
import dev.hone.source.GitClient;
import dev.hone.source.Mirror;
import dev.hone.source.Remote;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code hone bench fetch}: what a run costs to fetch from a repository with a long history. A bare repository of
 * N commits (each rewrites one of 100 data files of 4 KiB and the training script, as a project that versions its
 * data does) is written with {@code git fast-import}; then, R times each into an empty cache, the three ways Hone
 * can get a run's commit: the whole history of every branch (what it did before), the branch's head alone (a poll
 * that saw a push), and one older commit alone, asked for by SHA (a queued run whose branch moved on). Reported:
 * median, min and max wall time and the cache's size on disk.
 */
public final class FetchBench {

    private static final int FILES = 100;
    private static final int FILE_BYTES = 4096;

    /** One way of fetching: its times over the repetitions (ms, sorted) and the cache it left (bytes). */
    public record Way(String name, List<Double> ms, long cacheBytes) {

        double median() {
            int n = ms.size();
            return n % 2 == 1 ? ms.get(n / 2) : (ms.get(n / 2 - 1) + ms.get(n / 2)) / 2;
        }
    }

    public record Result(int commits, long repositoryBytes, int repetitions, List<Way> ways) {}

    private final Map<String, String> env;

    public FetchBench(Map<String, String> env) {
        this.env = env;
    }

    public Result measure(int commits, int repetitions, Path work) {
        try {
            Path bare = work.resolve("history.git");
            List<String> shas = generate(bare, commits);
            GitClient git = new GitClient(env);
            Remote remote = Remote.of(bare.toString());
            String head = shas.get(shas.size() - 1);
            String older = shas.get(Math.max(0, shas.size() - 101));
            List<Way> ways = List.of(
                    way("whole history (every branch)", repetitions, work, git, remote, Mirror::fetch),
                    way("branch head, shallow", repetitions, work, git, remote, m -> {
                        m.fetchHeads(List.of("main"));
                        require(m, head);
                    }),
                    way("one commit 100 behind the head, by SHA", repetitions, work, git, remote, m -> {
                        m.fetchCommit(older, "main");
                        require(m, older);
                    }));
            return new Result(commits, size(bare), repetitions, ways);
        } catch (IOException e) {
            throw new HoneException("benchmark could not write to " + work + ": " + e.getMessage(), e);
        }
    }

    public static String report(Result r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "fetching a run's commit from a local bare repository of %,d commits "
                + "(%.1f MiB on disk), %d times each into an empty cache%n%n", r.commits(),
                r.repositoryBytes() / 1048576.0, r.repetitions()));
        out.append("| way | median | min | max | cache on disk |\n|---|---|---|---|---|\n");
        for (Way w : r.ways()) {
            out.append(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %.1f MiB |%n", w.name(),
                    w.median(), w.ms().get(0), w.ms().get(w.ms().size() - 1), w.cacheBytes() / 1048576.0));
        }
        return out.toString();
    }

    private static Way way(String name, int repetitions, Path work, GitClient git, Remote remote,
                           Consumer<Mirror> fetch) throws IOException {
        List<Double> ms = new ArrayList<>();
        long bytes = 0;
        Path warm = emptyCache(work.resolve("warm-up"));
        fetch.accept(git.mirror(remote, warm));
        delete(warm);
        for (int i = 0; i < repetitions; i++) {
            Path cache = emptyCache(work.resolve("cache-" + i));
            long start = System.nanoTime();
            fetch.accept(git.mirror(remote, cache));
            ms.add((System.nanoTime() - start) / 1e6);
            bytes = size(cache);
            delete(cache);
        }
        ms.sort(null);
        return new Way(name, List.copyOf(ms), bytes);
    }

    /**
     * An empty bare cache that JGit does not garbage-collect after a fetch, nor look at whether to on another
     * thread (that would run into the next measurement and the cache's deletion).
     */
    private static Path emptyCache(Path dir) {
        git(dir.getParent(), "init", "--quiet", "--bare", dir.toString());
        git(dir, "config", "gc.auto", "0");
        git(dir, "config", "gc.autoDetach", "false");
        return dir;
    }

    private static void require(Mirror mirror, String sha) {
        if (mirror.commit(sha).isEmpty()) {
            throw new HoneException("the fetch did not bring " + sha + " into " + mirror.dir());
        }
    }

    /** Writes the repository with git fast-import; returns its commits' SHAs, oldest first. */
    private static List<String> generate(Path bare, int commits) throws IOException {
        git(bare.getParent(), "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
        SplittableRandom random = new SplittableRandom(19);
        Process p = new ProcessBuilder("git", "fast-import", "--quiet", "--export-marks=" + bare.resolve("marks"))
                .directory(bare.toFile()).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            for (int i = 1; i <= commits; i++) {
                byte[] data = new byte[FILE_BYTES];
                for (int b = 0; b < data.length; b++) {
                    data[b] = (byte) (b % 64 == 63 ? '\n' : 'a' + random.nextInt(26));
                }
                String script = "EPOCHS = " + i + "\nprint('accuracy=0.5')\n";
                String header = "commit refs/heads/main\nmark :" + i + "\ncommitter Ana Dev <ana@example.com> "
                        + (1_700_000_000L + i) + " +0000\ndata <<END\nChange " + i + "\nEND\n"
                        + "M 100644 inline main.py\ndata " + script.length() + "\n" + script
                        + "\nM 100644 inline data/part-" + (i % FILES) + ".txt\ndata " + data.length + "\n";
                in.write(header.getBytes(StandardCharsets.UTF_8));
                in.write(data);
                in.write('\n');
            }
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new HoneException("git fast-import failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("benchmark interrupted");
        }
        List<String> shas = new ArrayList<>();
        for (String line : Files.readAllLines(bare.resolve("marks"))) {
            shas.add(line.substring(line.indexOf(' ') + 1).strip());
        }
        git(bare, "repack", "-a", "-d", "-q");
        return shas;
    }

    private static void git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new HoneException("git " + String.join(" ", args) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new HoneException("cannot run git (is it installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("benchmark interrupted");
        }
    }

    /** Deletes a cache; JGit may still be tidying it up (auto gc) on another thread, so a vanished file is fine. */
    private static void delete(Path dir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.deleteIfExists(f);
                }
                return;
            } catch (NoSuchFileException | DirectoryNotEmptyException | UncheckedIOException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(f -> f.toFile().isFile() ? f.toFile().length() : 0).sum();
        } catch (UncheckedIOException e) {
            return size(dir);
        }
    }
}
