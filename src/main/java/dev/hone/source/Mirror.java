package dev.hone.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A remote repository and Hone's bare copy of it in a cache directory (JGit): the remote's branch heads without
 * fetching anything ({@link #branches()}, what a poll costs), a fetch of every branch, and a commit's files written
 * into a fresh directory without a work tree or {@code .git}. Credentials go to JGit only; messages mask them.
 * One thread at a time per instance.
 */
public final class Mirror {

    private static final int TIMEOUT_SECONDS = 60;

    private final String url;
    private final GitAuth auth;
    private final Path dir;

    /** @param auth HTTP credentials, or null */
    public Mirror(String url, GitAuth auth, Path dir) {
        this.url = url;
        this.auth = auth;
        this.dir = dir;
    }

    /** Branch name → SHA of the remote's heads (an {@code ls-remote}: no objects are transferred). */
    public Map<String, String> branches() {
        try {
            Map<String, Ref> refs = Git.lsRemoteRepository().setRemote(url).setHeads(true)
                    .setCredentialsProvider(credentials()).setTimeout(TIMEOUT_SECONDS).callAsMap();
            Map<String, String> branches = new TreeMap<>();
            refs.forEach((name, ref) -> {
                if (name.startsWith(Constants.R_HEADS) && ref.getObjectId() != null) {
                    branches.put(name.substring(Constants.R_HEADS.length()), ref.getObjectId().name());
                }
            });
            return branches;
        } catch (GitAPIException | RuntimeException e) {
            throw failure("list the branches of", e);
        }
    }

    /** Fetches every branch into the cache (created on first use), dropping branches the remote deleted. */
    public void fetch() {
        try (Repository repo = open(); Git git = Git.wrap(repo)) {
            git.fetch().setRemote(url).setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"))
                    .setRemoveDeletedRefs(true).setCredentialsProvider(credentials()).setTimeout(TIMEOUT_SECONDS)
                    .call();
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw failure("fetch", e);
        }
    }

    /**
     * The commit {@code rev} names in the cache — a SHA (abbreviated or full) or a branch — or empty when the
     * cache does not have it (fetch first).
     */
    public Optional<Commit> commit(String rev) {
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
            ObjectId id = repo.resolve(rev.matches("[0-9a-fA-F]{4,40}") ? rev : Constants.R_HEADS + rev);
            if (id == null) {
                return Optional.empty();
            }
            RevCommit c = walk.parseCommit(id);
            return Optional.of(new Commit(c.getName(), null,
                    c.getAuthorIdent().getName() + " <" + c.getAuthorIdent().getEmailAddress() + ">",
                    c.getAuthorIdent().getEmailAddress(), c.getShortMessage(), GitUrls.mask(url)));
        } catch (MissingObjectException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw failure("read commit " + rev + " of", e);
        }
    }

    /**
     * Writes the files of commit {@code sha} (from the cache) into {@code target}, which must not exist: regular
     * and executable files and symbolic links; submodules are left out.
     */
    public void checkout(String sha, Path target) {
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo)) {
            Files.createDirectories(target.getParent());
            Files.createDirectory(target);
            tree.addTree(walk.parseCommit(ObjectId.fromString(sha)).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                Path file = target.resolve(tree.getPathString()).normalize();
                if (!file.startsWith(target) || mode == FileMode.GITLINK) {
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
        } catch (IOException | RuntimeException e) {
            throw failure("check out " + sha + " of", e);
        }
    }

    /** The cache directory. */
    public Path dir() {
        return dir;
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

    private CredentialsProvider credentials() {
        return auth == null ? null : new UsernamePasswordCredentialsProvider(auth.username(), auth.password());
    }

    private GitException failure(String what, Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (auth != null && auth.password() != null && !auth.password().isEmpty()) {
            reason = reason.replace(auth.password(), "***");
        }
        return new GitException("cannot " + what + " " + GitUrls.mask(url) + ": " + GitUrls.maskAll(reason), e);
    }
}
