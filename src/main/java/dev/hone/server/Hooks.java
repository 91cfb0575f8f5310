package dev.hone.server;

/**
 * Server-side git hooks that tell Hone of pushes as a git host would: {@code hone bench webhook} and the tests put
 * one in a bare repository.
 */
public final class Hooks {

    private Hooks() {}

    /**
     * A post-receive hook (python3) that posts a GitHub-format push payload per updated ref to {@code endpoint},
     * signed with {@code secret} in {@code X-Hub-Signature-256}, naming the repository {@code cloneUrl}. When
     * {@code stampFile} is not null it appends the wall-clock time (ms) just before each POST to it, and to
     * {@code stampFile + ".answered"} a line {@code <HTTP status> <ms until the answer was read>} after each POST.
     */
    public static String githubPostReceive(String endpoint, String secret, String cloneUrl, String stampFile) {
        return """
                #!/usr/bin/env python3
                import hashlib, hmac, json, subprocess, sys, time, urllib.request
                ENDPOINT, SECRET, CLONE_URL, STAMPS = %s, %s, %s, %s
                ZERO = "0" * 40
                def git(*args):
                    return subprocess.run(("git",) + args, capture_output=True, text=True).stdout.strip()
                for line in sys.stdin:
                    before, after, ref = line.split()
                    payload = {"ref": ref, "before": before, "after": after, "deleted": after == ZERO,
                               "repository": {"clone_url": CLONE_URL, "full_name": "acme/digits"},
                               "head_commit": None if after == ZERO else {
                                   "id": after, "message": git("log", "-1", "--format=%%B", after),
                                   "author": {"name": git("log", "-1", "--format=%%an", after),
                                              "email": git("log", "-1", "--format=%%ae", after)}}}
                    body = json.dumps(payload).encode()
                    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                    request = urllib.request.Request(ENDPOINT, data=body, method="POST", headers={
                        "Content-Type": "application/json", "X-GitHub-Event": "push",
                        "X-Hub-Signature-256": signature})
                    if STAMPS:
                        with open(STAMPS, "a") as f:
                            f.write("%%d\\n" %% (time.time() * 1000))
                    sent = time.perf_counter()
                    with urllib.request.urlopen(request, timeout=10) as answer:
                        reply = answer.read().decode()
                    if STAMPS:
                        with open(STAMPS + ".answered", "a") as f:
                            f.write("%%d %%.3f\\n" %% (answer.status, (time.perf_counter() - sent) * 1000))
                    print("hone:", answer.status, reply)
                """.formatted(py(endpoint), py(secret), py(cloneUrl), py(stampFile));
    }

    private static String py(String text) {
        return text == null ? "None" : "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
