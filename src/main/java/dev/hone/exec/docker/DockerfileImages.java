package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.core.GoLangFileMatch;
import dev.hone.error.HoneException;
import dev.hone.exec.Workspace;
import dev.hone.source.Confined;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds a team's Dockerfile ({@code environment.dockerfile}) into {@code hone-build/<project>:<hash>}, where the
 * hash covers the Dockerfile and every file of its build context (the workspace, less what {@code .dockerignore}
 * excludes): names, executable bits and contents (of a link: where it points, never what it points to), not
 * timestamps. A Dockerfile that leads out of the context through a link is refused. An image with that tag is reused, so the build
 * runs again only when the Dockerfile or its context changed. The build's output goes to a log file that is kept.
 */
final class DockerfileImages {

    static final String REPOSITORY = "hone-build/";
    private static final int TAIL = 20;
    /** Said of a build that could not resolve a name or reach a host. */
    static final String NO_NETWORK = "the build could not reach the network: Hone builds on the Docker daemon's own"
            + " network (environment.network is the trials'), so the daemon must reach the package index (a proxy:"
            + " HTTP_PROXY in dockerd's environment), or the Dockerfile must install from files in the repository";

    private final DockerClient client;

    DockerfileImages(DockerClient client) {
        this.client = client;
    }

    /** The image built from {@code dockerfile} (relative to {@code context}); built only when not yet built. */
    String image(Path context, String dockerfile, String project, Path buildLog) {
        Path file = context.resolve(dockerfile).normalize();
        if (!file.startsWith(context) || !Files.isRegularFile(file)) {
            throw new HoneException("environment.dockerfile: " + dockerfile + " is not a file in " + context
                    + ": add it to the repository or fix the path in hone.yaml");
        }
        try {
            Confined.file(context, dockerfile, "the checkout");
        } catch (Confined.LinkOutsideException e) {
            throw new HoneException("environment.dockerfile: " + e.getMessage(), e);
        }
        String tag = REPOSITORY + repositoryName(project) + ":" + contentHash(context, file);
        if (exists(tag)) {
            writeLog(buildLog, "image " + tag + " reused: " + dockerfile + " and its context are unchanged\n");
            return tag;
        }
        build(context, file, dockerfile, project, tag, buildLog);
        return tag;
    }

    private boolean exists(String tag) {
        try {
            client.inspectImageCmd(tag).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private void build(Path context, Path file, String dockerfile, String project, String tag, Path buildLog) {
        ArrayDeque<String> tail = new ArrayDeque<>();
        StringBuilder error = new StringBuilder();
        try (Writer log = Files.newBufferedWriter(buildLog, StandardCharsets.UTF_8)) {
            log.write("docker build -f " + dockerfile + " -t " + tag + " " + context + "\n");
            BuildImageResultCallback callback = new BuildImageResultCallback() {
                @Override
                public void onNext(BuildResponseItem item) {
                    String text = item.getStream() != null ? item.getStream()
                            : item.getErrorDetail() != null ? item.getErrorDetail().getMessage() + "\n"
                            : item.getStatus() != null ? item.getStatus() + "\n" : null;
                    if (item.isErrorIndicated() && item.getErrorDetail() != null) {
                        error.append(item.getErrorDetail().getMessage());
                    }
                    if (text != null) {
                        write(log, text, tail);
                    }
                    super.onNext(item);
                }
            };
            client.buildImageCmd()
                    .withDockerfile(file.toFile())
                    .withBaseDirectory(context.toFile())
                    .withTags(Set.of(tag))
                    .withLabels(Map.of("hone.project", project, "hone.dockerfile", dockerfile))
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true)
                    .exec(callback)
                    .awaitImageId();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image build log " + buildLog + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            String why = !error.isEmpty() ? error.toString() : Docker.cause(e);
            boolean offline = NetworkErrors.lastIn(tail).isPresent() || NetworkErrors.lastIn(List.of(why)).isPresent();
            throw new HoneException("environment.dockerfile: building " + dockerfile + " failed: " + why
                    + (offline ? "\n" + NO_NETWORK : "")
                    + "\nlast lines of the build log:\n  " + String.join("\n  ", tail)
                    + "\n(full log: " + buildLog + ")", e);
        }
    }

    private static void write(Writer log, String text, ArrayDeque<String> tail) {
        try {
            log.write(text);
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                if (tail.size() == TAIL) {
                    tail.removeFirst();
                }
                tail.addLast(line.stripTrailing());
            }
        }
    }

    private static void writeLog(Path buildLog, String text) {
        try {
            Files.writeString(buildLog, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image build log " + buildLog + ": " + e.getMessage(), e);
        }
    }

    /** "My Project!" → "my-project-": what a Docker repository name may hold. */
    static String repositoryName(String project) {
        String name = project.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[._-]+", "");
        return name.isEmpty() ? "project" : name;
    }

    /** 16 hex digits of SHA-256 over the Dockerfile's path and the context's files (path, mode, content). */
    static String contentHash(Path context, Path dockerfile) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(context.relativize(dockerfile).toString().getBytes(StandardCharsets.UTF_8));
            List<String> ignores = ignores(context);
            for (Path file : contextFiles(context)) {
                String relative = context.relativize(file).toString().replace('\\', '/');
                if (!file.equals(dockerfile) && ignored(ignores, relative)) {
                    continue;
                }
                if (Files.isSymbolicLink(file)) { // the build sends a link as a link: its target is what counts
                    digest.update(("\0" + relative + "\0l\0" + Files.readSymbolicLink(file))
                            .getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                digest.update(("\0" + relative + "\0" + (Files.isExecutable(file) ? "x" : "-") + "\0")
                        .getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build context " + context + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> contextFiles(Path context) throws IOException {
        try (Stream<Path> files = Files.walk(context)) {
            return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(f))
                    .filter(f -> Stream.of(context.relativize(f).toString().split("/"))
                            .noneMatch(Workspace.SKIPPED::contains))
                    .sorted()
                    .toList();
        }
    }

    private static List<String> ignores(Path context) throws IOException {
        Path file = context.resolve(".dockerignore");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> patterns = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String pattern = line.strip();
            if (!pattern.isEmpty() && !pattern.startsWith("#")) {
                patterns.add(pattern.replaceAll("^/+", "").replaceAll("/+$", ""));
            }
        }
        return patterns;
    }

    /** .dockerignore: the last pattern matching the path or one of its directories decides; "!" re-includes. */
    static boolean ignored(List<String> patterns, String path) {
        boolean ignored = false;
        for (String pattern : patterns) {
            boolean exception = pattern.startsWith("!");
            String glob = exception ? pattern.substring(1) : pattern;
            if (matchesPathOrParent(glob, path)) {
                ignored = !exception;
            }
        }
        return ignored;
    }

    private static boolean matchesPathOrParent(String glob, String path) {
        String prefix = path;
        while (true) {
            if (GoLangFileMatch.match(glob, prefix)) {
                return true;
            }
            int slash = prefix.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            prefix = prefix.substring(0, slash);
        }
    }
}
