package dev.hone.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The commit a checkout is at: SHA, branch (null when detached), author as "Name <email>", first message line, and
 * the repository it came from ({@code remote.origin.url}, credentials masked; null when unknown) — commit statuses
 * are posted there.
 */
public record Commit(String sha, String branch, String author, String authorEmail, String message,
                     String remoteUrl) {

    /** The HEAD commit of the git work tree at {@code dir}; empty outside git or before the first commit. */
    public static Optional<Commit> of(Path dir) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        try (Repository repo = builder.setMustExist(true).build(); RevWalk walk = new RevWalk(repo)) {
            ObjectId head = repo.resolve("HEAD");
            if (head == null) {
                return Optional.empty();
            }
            RevCommit c = walk.parseCommit(head);
            String branch = repo.getFullBranch() != null && repo.getFullBranch().startsWith("refs/heads/")
                    ? repo.getBranch() : null;
            return Optional.of(new Commit(c.getName(), branch,
                    c.getAuthorIdent().getName() + " <" + c.getAuthorIdent().getEmailAddress() + ">",
                    c.getAuthorIdent().getEmailAddress(), c.getShortMessage(),
                    remote(repo.getConfig().getString("remote", "origin", "url"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String remote(String url) {
        return url == null || url.isBlank() ? null : GitUrls.mask(url);
    }
}
