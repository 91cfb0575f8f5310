/**
 * Git: what commit a checkout is at ({@link dev.hone.source.Commit}); a remote's branch heads, fetched into a bare
 * cache and checked out into a fresh directory ({@link dev.hone.source.Mirror}, JGit; credentials never printed,
 * {@link dev.hone.source.GitUrls#mask}); and push webhooks of GitHub, GitLab, Gitea and a generic JSON format,
 * authenticated by signature or token in constant time ({@link dev.hone.source.Webhooks},
 * {@link dev.hone.source.Signatures}) and read into {@link dev.hone.source.HookEvent}s.
 */
package dev.hone.source;
