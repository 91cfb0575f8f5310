package dev.hone.source;

import java.util.List;

/**
 * A push a webhook told of: the repository's URLs as the payload gives them (any may match the configured one),
 * the branch (null for a tag or another ref), the new head ({@code after}), its author as "Name &lt;email&gt;" and
 * the first line of its message. {@code deleted}: the push deleted the branch.
 */
public record Push(List<String> repositoryUrls, String branch, String before, String after, String author,
                   String message, boolean deleted) {

    public Push {
        repositoryUrls = List.copyOf(repositoryUrls);
    }
}
