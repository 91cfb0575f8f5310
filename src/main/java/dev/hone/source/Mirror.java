package dev.hone.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.BlobBasedConfig;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A remote repository and Hone's bare copy of it in a cache directory (JGit): the remote's branch heads without
 * fetching anything ({@link #branches()}, what a poll costs); the commits a run needs, fetched shallow where the
 * server allows it ({@link #fetchHeads}, {@link #fetchCommit}) so a long history is not fetched whole; and a commit's
 * files, submodules included, written into a fresh directory without a work tree or {@code .git}. Submodules are
 * cached inside the cache ({@code modules/}) and fetched with the same credentials when on the same host. Credentials
 * go to JGit only; messages mask them. One thread at a time per cache directory.
 */
public final class Mirror {

    private static final int TIMEOUT_SECONDS = 60;
    /** Submodules of submodules …: deeper than this is a cycle, not a project. */
    private static final int MAX_SUBMODULE_DEPTH = 8;

    private final GitClient client;
    private final Remote remote;
    private final Path dir;

    Mirror(GitClient client, Remote remote, Path dir) {
        this.client = client;
        this.remote = remote;
        this.dir = dir;
    }

    /** Branch name → SHA of the remote's heads (an {@code ls-remote}: no objects are transferred). */
    public Map<String, String> branches() {
        String what = "list the branches of";
        try (Access access = client.access(remote, what)) {
            try {
                Map<String, Ref> refs = Git.lsRemoteRepository().setRemote(remote.url()).setHeads(true)
                        .setCredentialsProvider(access.credentials()).setTransportConfigCallback(access)
                        .setTimeout(TIMEOUT_SECONDS).callAsMap();
                Map<String, String> branches = new TreeMap<>();
                refs.forEach((name, ref) -> {
                    if (name.startsWith(Constants.R_HEADS) && ref.getObjectId() != null) {
                        branches.put(name.substring(Constants.R_HEADS.length()), ref.getObjectId().name());
                    }
                });
                return branches;
            } catch (GitAPIException | RuntimeException e) {
                throw access.failure(what, e);
            }
        }
    }

    /** Fetches every branch with its whole history into the cache, dropping branches the remote deleted. */
    public void fetch() {
        fetch(List.of(new RefSpec("+refs/heads/*:refs/heads/*")), false, true);
    }

    /**
     * Fetches the heads of {@code branches} — only their newest commits where the server allows a shallow fetch,
     * else with their history.
     */
    public void fetchHeads(Collection<String> branches) {
        List<RefSpec> specs = branches.stream()
                .map(b -> new RefSpec("+" + Constants.R_HEADS + b + ":" + Constants.R_HEADS + b)).toList();
        if (!specs.isEmpty()) {
            fetch(specs, true, false);
        }
    }

    /**
     * The head of a pull or merge request ({@code refs/pull/N/head}, {@code refs/merge-requests/N/head}), fetched into
     * {@code refs/hone/…} of the cache; the commit {@code sha} then, empty when the request's head is another now.
     */
    public Optional<Commit> fetchPull(PullRef pull, String sha) {
        Optional<Commit> known = commit(sha);
        if (known.isPresent()) {
            return known;
        }
        fetch(List.of(new RefSpec("+" + pull.ref() + ":refs/hone/" + pull.ref().substring("refs/".length()))),
                true, false);
        return commit(sha);
    }

    /**
     * The commit {@code sha}, fetched when the cache does not have it: the commit alone where the server lets a
     * commit be asked for by SHA; else the head of {@code branch} (null: not known); else every branch's history.
     * Empty when no branch of the remote holds it.
     */
    public Optional<Commit> fetchCommit(String sha, String branch) {
        Optional<Commit> known = commit(sha);
        if (known.isPresent()) {
            return known;
        }
        if (ObjectId.isId(sha)) {
            try {
                fetch(List.of(new RefSpec(sha)), true, false);
            } catch (GitException e) {
                if (e.kind() != GitException.Kind.OTHER) {
                    throw e;
                }
                // the server does not give commits by SHA: fetch a branch instead
            }
            known = commit(sha);
        }
        if (known.isEmpty() && branch != null) {
            fetchHeads(List.of(branch));
            known = commit(sha);
        }
        if (known.isEmpty()) {
            fetch(List.of(new RefSpec("+refs/heads/*:refs/heads/*")), false, true);
            known = commit(sha);
        }
        return known;
    }

    /**
     * The commit {@code rev} names in the cache — a SHA (abbreviated or full) or a branch — or empty when the
     * cache does not have it (fetch first).
     */
    public Optional<Commit> commit(String rev) {
        if (!Files.isDirectory(dir.resolve("objects"))) {
            return Optional.empty();
        }
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
            ObjectId id = repo.resolve(rev.matches("[0-9a-fA-F]{4,40}") ? rev : Constants.R_HEADS + rev);
            if (id == null) {
                return Optional.empty();
            }
            RevCommit c = walk.parseCommit(id);
            return Optional.of(new Commit(c.getName(), null,
                    c.getAuthorIdent().getName() + " <" + c.getAuthorIdent().getEmailAddress() + ">",
                    c.getAuthorIdent().getEmailAddress(), c.getShortMessage(), remote.shown()));
        } catch (MissingObjectException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new GitException(GitException.Kind.OTHER, "cannot read commit " + rev + " of " + remote.shown()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the files of commit {@code sha} (from the cache) into {@code target}, which must not exist: regular
     * and executable files, symbolic links, and the submodules at the commits the superproject records (fetched
     * into the cache's {@code modules/}, their own submodules too).
     *
     * @throws GitException when a file cannot be written or a submodule cannot be fetched
     */
    public void checkout(String sha, Path target) {
        checkout(sha, target, 0);
    }

    /**
     * The text (UTF-8) of the first of {@code names} that commit {@code sha} has at its top level, read from the
     * cache without a checkout; empty when it has none of them (or the cache does not have the commit: ask
     * {@link #commit} first).
     */
    public Optional<String> topLevelFile(String sha, List<String> names) {
        if (!Files.isDirectory(dir.resolve("objects")) || !ObjectId.isId(sha)) {
            return Optional.empty();
        }
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
            RevTree root = walk.parseCommit(ObjectId.fromString(sha)).getTree();
            for (String name : names) {
                try (TreeWalk file = TreeWalk.forPath(repo, name, root)) {
                    if (file != null && (file.getFileMode(0).getBits() & FileMode.TYPE_MASK) == FileMode.TYPE_FILE) {
                        return Optional.of(new String(repo.open(file.getObjectId(0)).getBytes(),
                                StandardCharsets.UTF_8));
                    }
                }
            }
            return Optional.empty();
        } catch (MissingObjectException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new GitException(GitException.Kind.OTHER, "cannot read " + names + " of commit " + sha + " of "
                    + remote.shown() + ": " + e.getMessage(), e);
        }
    }

    /** The cache directory. */
    public Path dir() {
        return dir;
    }

    private void checkout(String sha, Path target, int depth) {
        Map<String, ObjectId> gitlinks = new TreeMap<>();
        Map<String, String> urls;
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo)) {
            Files.createDirectories(target.getParent());
            Files.createDirectory(target);
            RevTree root = walk.parseCommit(ObjectId.fromString(sha)).getTree();
            tree.addTree(root);
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                Path file = target.resolve(tree.getPathString()).normalize();
                if (!file.startsWith(target) || file.equals(target)) {
                    continue;
                }
                if (mode == FileMode.GITLINK) {
                    gitlinks.put(tree.getPathString(), tree.getObjectId(0));
                    continue;
                }
                Files.createDirectories(file.getParent());
                byte[] bytes = repo.open(tree.getObjectId(0)).getBytes();
                if (mode == FileMode.SYMLINK) {
                    Files.createSymbolicLink(file, Path.of(new String(bytes, StandardCharsets.UTF_8)));
                    continue;
                }
                try (OutputStream out = Files.newOutputStream(file)) {
                    out.write(bytes);
                }
                if (mode == FileMode.EXECUTABLE_FILE) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            urls = gitlinks.isEmpty() ? Map.of() : submoduleUrls(repo, root);
        } catch (IOException | RuntimeException e) {
            throw new GitException(GitException.Kind.OTHER, "cannot check out " + sha + " of " + remote.shown() + ": "
                    + e.getMessage(), e);
        }
        for (Map.Entry<String, ObjectId> link : gitlinks.entrySet()) {
            checkoutSubmodule(link.getKey(), link.getValue().name(), urls.get(link.getKey()), target, depth);
        }
    }

    private void checkoutSubmodule(String path, String sha, String url, Path target, int depth) {
        String where = "submodule " + path + " of " + remote.shown() + " at " + sha.substring(0, 8);
        if (url == null) {
            throw new GitException(GitException.Kind.OTHER, "cannot check out " + where + ": .gitmodules has no url "
                    + "for the path " + path + " — add it (git submodule add URL " + path + ")", null);
        }
        if (depth >= MAX_SUBMODULE_DEPTH) {
            throw new GitException(GitException.Kind.OTHER, "cannot check out " + where + ": submodules nest more than "
                    + MAX_SUBMODULE_DEPTH + " deep (a cycle?)", null);
        }
        String resolved = GitUrls.resolve(remote.url(), url);
        Mirror submodule = new Mirror(client, submoduleRemote(resolved),
                dir.resolve("modules").resolve(Signatures.sha256Hex(GitUrls.key(resolved)).substring(0, 16)));
        try {
            if (submodule.fetchCommit(sha, null).isEmpty()) {
                throw new GitException(GitException.Kind.NOT_FOUND, "cannot check out " + where + ": "
                        + GitUrls.mask(resolved) + " has no branch that holds that commit (was it pushed?)", null);
            }
            submodule.checkout(sha, target.resolve(path), depth + 1);
        } catch (GitException e) {
            throw e.getMessage().contains(where) ? e
                    : new GitException(e.kind(), where + ": " + e.getMessage(), e);
        }
    }

    /** The submodule's credentials: the superproject's when it is on the same host over the same transport. */
    private Remote submoduleRemote(String url) {
        boolean sameHost = GitUrls.host(url).isPresent() && GitUrls.host(url).equals(GitUrls.host(remote.url()))
                && GitUrls.ssh(url) == GitUrls.ssh(remote.url());
        return sameHost ? new Remote(url, remote.auth(), remote.caCert()) : Remote.of(url);
    }

    /** Path → URL of the submodules {@code .gitmodules} names in the tree. */
    private static Map<String, String> submoduleUrls(Repository repo, RevTree root) throws IOException {
        Map<String, String> urls = new TreeMap<>();
        try (TreeWalk modules = TreeWalk.forPath(repo, Constants.DOT_GIT_MODULES, root)) {
            if (modules == null) {
                return urls;
            }
            BlobBasedConfig config = new BlobBasedConfig(null, repo, modules.getObjectId(0));
            for (String name : config.getSubsections("submodule")) {
                String path = config.getString("submodule", name, "path");
                String url = config.getString("submodule", name, "url");
                if (path != null && url != null) {
                    urls.put(path, url);
                }
            }
        } catch (ConfigInvalidException e) {
            throw new IOException(".gitmodules cannot be read: " + e.getMessage(), e);
        }
        return urls;
    }

    /**
     * @param shallow only the commits the specs name, where the server allows it (else their history)
     * @param whole   the history too, completing a shallow cache
     */
    private void fetch(List<RefSpec> specs, boolean shallow, boolean whole) {
        String what = "fetch";
        try (Access access = client.access(remote, what)) {
            try {
                run(access, specs, shallow, whole);
            } catch (GitAPIException | IOException | RuntimeException e) {
                GitException failure = access.failure(what, e);
                if (!shallow || failure.kind() != GitException.Kind.OTHER || specs.stream()
                        .anyMatch(s -> ObjectId.isId(s.getSource()))) {
                    throw failure;
                }
                try {
                    run(access, specs, false, false);
                } catch (GitAPIException | IOException | RuntimeException again) {
                    throw access.failure(what, again);
                }
            }
        }
    }

    private void run(Access access, List<RefSpec> specs, boolean shallow, boolean whole)
            throws GitAPIException, IOException {
        try (Repository repo = open(); Git git = Git.wrap(repo)) {
            FetchCommand fetch = git.fetch().setRemote(remote.url()).setRefSpecs(new ArrayList<>(specs))
                    .setCredentialsProvider(access.credentials()).setTransportConfigCallback(access)
                    .setTimeout(TIMEOUT_SECONDS);
            if (shallow) {
                fetch.setDepth(1);
            } else if (whole && Files.exists(dir.resolve("shallow"))) {
                fetch.setUnshallow(true);
            }
            if (whole) {
                fetch.setRemoveDeletedRefs(true);
            }
            fetch.call();
        }
    }

    private Repository open() throws IOException {
        if (!Files.isDirectory(dir.resolve("objects"))) {
            Files.createDirectories(dir);
            try {
                Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
            } catch (GitAPIException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
    }
}
