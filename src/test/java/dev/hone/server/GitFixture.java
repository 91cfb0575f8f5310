package dev.hone.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real bare repository ({@code <name>.git}) and a clone of it, driven with the git command line: what a developer
 * pushing to a server does. The clone commits as "Ana Dev &lt;ana@example.com&gt;".
 */
public final class GitFixture {

    public final Path bare;
    public final Path work;
    private final Path home;

    public GitFixture(Path root, String name) throws IOException {
        this.bare = root.resolve(name + ".git");
        this.work = root.resolve(name + "-work");
        this.home = Files.createDirectories(root.resolve("git-home"));
        git(root, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
        git(root, "clone", "--quiet", bare.toString(), work.toString());
        git(work, "checkout", "--quiet", "-B", "main");
    }

    /**
     * Seven commits of project "digits" (grid over lr 0.1, 0.2: accuracy 0.90, 0.95) whose fifth, "Slower
     * learning", makes every value 0.04 worse: what bisect finds. Their SHAs, oldest first.
     */
    public List<String> sevenCommitsTheFifthWorse() throws IOException {
        write("hone.yaml", """
                name: digits
                metric: {name: accuracy}
                tune:
                  strategy: grid
                  params: {lr: [0.1, 0.2]}
                """);
        List<String> commits = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            double penalty = i >= 5 ? 0.04 : 0;
            write("main.py", """
                    import os
                    lr = float(os.environ["HONE_PARAM_LR"])
                    # version %d
                    accuracy = {0.1: 0.90, 0.2: 0.95}[lr] - %s
                    print("accuracy=%%s" %% round(accuracy, 4))
                    """.formatted(i, penalty));
            commits.add(commit(i == 5 ? "Slower learning" : "Change " + i));
        }
        return commits;
    }

    /** The repository's URL as a server would be configured with it (an absolute path). */
    public String url() {
        return bare.toString();
    }

    public GitFixture write(String path, String content) throws IOException {
        Path file = work.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    public GitFixture delete(String path) throws IOException {
        Files.deleteIfExists(work.resolve(path));
        return this;
    }

    /** Commits everything; returns the new commit's SHA. */
    public String commit(String message) {
        git(work, "add", "-A");
        git(work, "commit", "--quiet", "--allow-empty", "-m", message);
        return git(work, "rev-parse", "HEAD").strip();
    }

    public void push(String branch) {
        git(work, "push", "--quiet", "origin", "HEAD:refs/heads/" + branch);
    }

    /** Pushes the current commit to {@code ref} as a forge keeps a pull request's head ({@code refs/pull/7/head}). */
    public void pushRef(String ref) {
        git(work, "push", "--quiet", "--force", "origin", "HEAD:" + ref);
    }

    public void deleteBranch(String branch) {
        git(work, "push", "--quiet", "origin", "--delete", branch);
    }

    /** Checks {@code branch} out, creating it at the current commit when it does not exist yet. */
    public void switchTo(String branch) {
        boolean exists = !git(work, "branch", "--list", branch).isBlank();
        if (exists) {
            git(work, "checkout", "--quiet", branch);
        } else {
            git(work, "checkout", "--quiet", "-b", branch);
        }
    }

    /** Installs an executable {@code hooks/post-receive} in the bare repository. */
    public void postReceiveHook(String script) throws IOException {
        Path hook = bare.resolve("hooks").resolve("post-receive");
        Files.writeString(hook, script);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs git, failing the test with its output when it fails. */
    public String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_NAME", "Ana Dev");
        env.put("GIT_AUTHOR_EMAIL", "ana@example.com");
        env.put("GIT_COMMITTER_NAME", "Ana Dev");
        env.put("GIT_COMMITTER_EMAIL", "ana@example.com");
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("git " + String.join(" ", args) + " failed in " + dir + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run git: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
