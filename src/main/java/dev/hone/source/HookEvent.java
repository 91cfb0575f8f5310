package dev.hone.source;

import java.util.List;

/** What a webhook delivery says: a push, a ping (a hook was set up), or something Hone does not act on. */
public sealed interface HookEvent {

    /** The URLs the payload gives for its repository (clone, ssh, web), to find the configured one. */
    List<String> repositoryUrls();

    record PushEvent(Push push) implements HookEvent {
        @Override
        public List<String> repositoryUrls() {
            return push.repositoryUrls();
        }
    }

    record Ping(List<String> repositoryUrls) implements HookEvent {}

    /**
     * A pull request (GitHub, Gitea) or merge request (GitLab) opened, updated with new commits, or reopened.
     *
     * @param ref  where the forge keeps its head: {@code refs/pull/N/head} or {@code refs/merge-requests/N/head}
     * @param head the commit to train
     * @param base the branch it would merge into
     */
    record PullRequest(List<String> repositoryUrls, PullRef ref, String head, String base, String title)
            implements HookEvent {}

    /** An event other than a push (a tag, an issue, …): answered, not acted on. */
    record Other(String event, List<String> repositoryUrls) implements HookEvent {}
}
