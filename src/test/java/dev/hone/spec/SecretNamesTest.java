package dev.hone.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"API_TOKEN", "HF_TOKEN", "GITHUB_TOKEN2", "githubToken", "Db_Password", "FTP_PASSWD",
            "AWS_SECRET_ACCESS_KEY", "WANDB_API_KEY", "apiKey", "APIKEY", "PRIVATE_KEY_PATH", "CREDENTIALS_JSON",
            "GOOGLE_APPLICATION_CREDENTIAL", "GH_AUTH", "OAUTH", "AUTH_HEADER", "AUTHORIZATION", "client-secret",
            "app.secrets", "SLACK_BOT_TOKEN", "MONKEY"})
    void aNameWithAWordThatEndsInASecretWordSaysSecret(String name) {
        assertThat(SecretNames.saysSecret(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTHOR", "GIT_AUTHOR_NAME", "TOKENIZER", "TOKENIZER_NAME", "MAX_TOKENS", "NUM_KEYS",
            "KEYBOARD_LAYOUT", "EPOCHS", "WANDB_PROJECT", "DATA_DIR", "PWD", "PASSES", ""})
    void aNameWhoseWordsOnlyStartSoDoesNot(String name) {
        assertThat(SecretNames.saysSecret(name)).isFalse();
    }

    @Test
    void nullIsNoSecret() {
        assertThat(SecretNames.saysSecret(null)).isFalse();
    }

    @Test
    void secretValuesAreThoseOfSecretNamesLongEnoughToMask() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HF_TOKEN", "hf-4c9d1e");
        env.put("API_KEY", "123");
        env.put("TOKENIZER", "bert-base-uncased");
        env.put("DB_PASSWORD", "pg-pass-1");

        assertThat(SecretNames.secretValues(env)).containsExactly("hf-4c9d1e", "pg-pass-1");
    }
}
