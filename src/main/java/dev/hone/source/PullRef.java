package dev.hone.source;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pull request (GitHub, Gitea: {@code pull:N}) or merge request (GitLab: {@code merge-request:N}) as a run's branch
 * names it. A colon cannot be in a git branch name, so a run of a branch is never taken for one of a pull request:
 * such runs are untrusted (no secrets, no network).
 */
public record PullRef(Kind kind, int number) {

    public enum Kind {
        PULL("pull", "refs/pull/%d/head"), MERGE_REQUEST("merge-request", "refs/merge-requests/%d/head");

        private final String word;
        private final String ref;

        Kind(String word, String ref) {
            this.word = word;
            this.ref = ref;
        }
    }

    private static final Pattern BRANCH = Pattern.compile("(pull|merge-request):([0-9]{1,9})");

    /** The pull request a run's branch names; empty for a branch. */
    public static Optional<PullRef> of(String branch) {
        Matcher m = branch == null ? null : BRANCH.matcher(branch);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new PullRef(m.group(1).equals("pull") ? Kind.PULL : Kind.MERGE_REQUEST,
                Integer.parseInt(m.group(2))));
    }

    /** What a run's branch says: {@code pull:7}. */
    public String branch() {
        return kind.word + ":" + number;
    }

    /** Where the forge keeps its head: {@code refs/pull/7/head}. */
    public String ref() {
        return kind.ref.formatted(number);
    }

    /** How people name it: {@code pull request #7}, {@code merge request !7}. */
    public String label() {
        return kind == Kind.PULL ? "pull request #" + number : "merge request !" + number;
    }
}
