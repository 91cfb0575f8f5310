/**
 * Git: what commit a checkout is at ({@link dev.hone.source.Commit}); remote repositories read as the server's user
 * reads them ({@link dev.hone.source.GitClient}: its {@code ~/.ssh}, the proxy of its environment) — a remote's
 * branch heads, the commits a run needs fetched shallow into a bare cache, and a commit's files with its submodules
 * checked out into a fresh directory ({@link dev.hone.source.Mirror}, JGit; SSH on Apache MINA sshd with deploy keys
 * and known_hosts, HTTPS with tokens and a private CA); failures read into {@link dev.hone.source.GitException}s that
 * say what to do; SSH host keys shown and recorded ({@link dev.hone.source.HostKey}); credentials never printed
 * ({@link dev.hone.source.GitUrls#mask}); and push webhooks of GitHub, GitLab, Gitea and a generic JSON format,
 * authenticated by signature or token in constant time ({@link dev.hone.source.Webhooks},
 * {@link dev.hone.source.Signatures}) and read into {@link dev.hone.source.HookEvent}s.
 */
package dev.hone.source;
