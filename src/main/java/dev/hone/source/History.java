package dev.hone.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The history of a git work tree, for {@code hone bisect}: the first-parent commits from one commit to a later one
 * (the commits that were the branch's head in turn, merges taken whole), and any commit's files written into a fresh
 * directory.
 */
public final class History {

    /** More commits than this between GOOD and BAD: a mistake (a GOOD from another branch), not a bisection. */
    static final int MAX_COMMITS = 100_000;

    private final Path workTree;
    /** What messages call the repository: its work tree, or a watched repository's URL. */
    private final String label;
    private final Path gitDir;

    private History(Path workTree, Path gitDir, String label) {
        this.workTree = workTree;
        this.label = label;
        this.gitDir = gitDir;
    }

    /** The repository whose work tree holds {@code dir}. */
    public static History of(Path dir) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toFile());
        if (builder.getGitDir() == null) {
            throw new GitException(GitException.Kind.NOT_FOUND, dir + " is not in a git work tree: run bisect in the"
                    + " repository's checkout, or give its directory", null);
        }
        return new History(dir, builder.getGitDir().toPath(), dir.toString());
    }

    /**
     * The repository {@code gitDir} (a bare one: a watched repository's cache), for {@code hone serve}'s bisect;
     * {@code label} names it in messages (its URL, masked).
     */
    public static History ofGitDir(Path gitDir, String label) {
        return new History(gitDir, gitDir, label);
    }

    /**
     * The commits from {@code good} to {@code bad}, both included, oldest first, following {@code bad}'s first
     * parents back to {@code good}; each with its author and first message line (no branch, no remote).
     *
     * @throws GitException when either is not a commit of the repository, or {@code good} is not on {@code bad}'s
     *                      first-parent history
     */
    public List<Commit> firstParents(String good, String bad) {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
             RevWalk walk = new RevWalk(repo)) {
            RevCommit from = walk.parseCommit(resolve(repo, good));
            RevCommit at = walk.parseCommit(resolve(repo, bad));
            List<Commit> commits = new ArrayList<>();
            while (true) {
                commits.add(commit(at));
                if (at.equals(from)) {
                    break;
                }
                if (at.getParentCount() == 0 || commits.size() > MAX_COMMITS) {
                    throw new GitException(GitException.Kind.NOT_FOUND, good + " is not on the first-parent history"
                            + " of " + bad + " in " + label + ": give an earlier commit of the same branch as"
                            + " GOOD", null);
                }
                at = walk.parseCommit(at.getParent(0));
            }
            Collections.reverse(commits);
            return commits;
        } catch (IOException e) {
            throw new GitException(GitException.Kind.OTHER, "cannot read the history of " + label + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * True when commit {@code rev} is on one of the repository's branches ({@code refs/heads/*}), not only on a pull
     * request's head that a cache fetched.
     */
    public boolean onABranch(String rev) {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
             RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(resolve(repo, rev));
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                if (ref.getObjectId() != null && walk.isMergedInto(commit, walk.parseCommit(ref.getObjectId()))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new GitException(GitException.Kind.OTHER, "cannot read the history of " + label + ": "
                    + e.getMessage(), e);
        }
    }

    /** Writes the files of commit {@code sha} into {@code target}, which must not exist (no {@code .git}). */
    public void checkout(String sha, Path target) {
        new Mirror(new GitClient(Map.of()), Remote.of(workTree.toAbsolutePath().toString()), gitDir)
                .checkout(sha, target);
    }

    private ObjectId resolve(Repository repo, String rev) throws IOException {
        ObjectId id;
        try {
            id = repo.resolve(rev + "^{commit}");
        } catch (MissingObjectException e) {
            id = null;
        }
        if (id == null) {
            throw new GitException(GitException.Kind.NOT_FOUND, rev + " is not a commit of " + label
                    + ": give a commit id (git log --oneline lists them), a branch or a tag", null);
        }
        return id;
    }

    private static Commit commit(RevCommit c) {
        return new Commit(c.getName(), null, c.getAuthorIdent().getName() + " <"
                + c.getAuthorIdent().getEmailAddress() + ">", c.getAuthorIdent().getEmailAddress(),
                c.getShortMessage(), null);
    }
}
