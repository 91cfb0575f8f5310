package dev.hone.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    static final String GITHUB_SECRET = "It's a Secret to Everybody";
    static final byte[] GITHUB_PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    static final String GITHUB_SIGNATURE =
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void githubsPublishedTestVectorVerifies() {
        assertThat("sha256=" + Signatures.hmacSha256Hex(GITHUB_SECRET, GITHUB_PAYLOAD)).isEqualTo(GITHUB_SIGNATURE);
        assertThat(Webhooks.verify(Webhooks.Provider.GITHUB,
                Map.of("X-Hub-Signature-256", GITHUB_SIGNATURE)::get, GITHUB_PAYLOAD, GITHUB_SECRET)).isTrue();
    }

    @Test
    void aWrongOrMissingSignatureDoesNotVerify() {
        String wrong = GITHUB_SIGNATURE.substring(0, GITHUB_SIGNATURE.length() - 1) + "0";
        assertThat(Webhooks.verify(Webhooks.Provider.GITHUB, Map.of("X-Hub-Signature-256", wrong)::get,
                GITHUB_PAYLOAD, GITHUB_SECRET)).isFalse();
        assertThat(Webhooks.verify(Webhooks.Provider.GITHUB, Map.<String, String>of()::get, GITHUB_PAYLOAD,
                GITHUB_SECRET)).isFalse();
        assertThat(Webhooks.verify(Webhooks.Provider.GITHUB, Map.of("X-Hub-Signature-256",
                GITHUB_SIGNATURE.substring(7))::get, GITHUB_PAYLOAD, GITHUB_SECRET)).as("without sha256=").isFalse();
        assertThat(Webhooks.verify(Webhooks.Provider.GITHUB, Map.of("X-Hub-Signature-256", GITHUB_SIGNATURE)::get,
                GITHUB_PAYLOAD, "another secret")).isFalse();
    }

    @Test
    void eachProviderIsAuthenticatedItsOwnWay() {
        String hex = Signatures.hmacSha256Hex(GITHUB_SECRET, GITHUB_PAYLOAD);
        assertThat(Webhooks.verify(Webhooks.Provider.GITEA, Map.of("X-Gitea-Signature", hex)::get, GITHUB_PAYLOAD,
                GITHUB_SECRET)).isTrue();
        assertThat(Webhooks.verify(Webhooks.Provider.GITLAB, Map.of("X-Gitlab-Token", GITHUB_SECRET)::get,
                GITHUB_PAYLOAD, GITHUB_SECRET)).isTrue();
        assertThat(Webhooks.verify(Webhooks.Provider.GITLAB, Map.of("X-Gitlab-Token", "guess")::get,
                GITHUB_PAYLOAD, GITHUB_SECRET)).isFalse();
        assertThat(Webhooks.verify(Webhooks.Provider.GENERIC, Map.of("X-Hone-Signature-256", "sha256=" + hex)::get,
                GITHUB_PAYLOAD, GITHUB_SECRET)).isTrue();
        assertThat(Webhooks.verify(Webhooks.Provider.GENERIC, Map.of("X-Hone-Signature-256", hex)::get,
                GITHUB_PAYLOAD, GITHUB_SECRET)).isFalse();
    }

    @Test
    void tokensAreComparedThroughTheirDigests() {
        assertThat(Signatures.equal("abc", "abc")).isTrue();
        assertThat(Signatures.equal("abc", "abd")).isFalse();
        assertThat(Signatures.equal("abc", null)).isFalse();
        assertThat(Signatures.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
