package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Docker daemon is and whether it answers. The daemon is found as the {@code docker} command finds it:
 * {@code DOCKER_HOST} (with {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH} for TCP), else
 * {@value #DEFAULT_HOST}.
 */
public final class Docker {

    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    /** How long {@link #unavailableReason} waits for the daemon's answer. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(3);

    private Docker() {}

    /** The daemon's address for this environment: {@code DOCKER_HOST} or {@value #DEFAULT_HOST}. */
    public static String host(Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        return host == null || host.isBlank() ? DEFAULT_HOST : host.strip();
    }

    /**
     * Pings the daemon, waiting at most a few seconds. Empty when it answered; else why not, for the user: "the
     * Docker daemon at unix:///var/run/docker.sock does not answer (Connection refused)". For {@code executor: auto}.
     */
    public static Optional<String> unavailableReason(Map<String, String> env) {
        String host = host(env);
        try (DockerClient client = client(env, PING_TIMEOUT)) {
            client.pingCmd().exec();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("the Docker daemon at " + host + " does not answer (" + cause(e) + ")");
        }
    }

    /** A client of the daemon; {@code responseTimeout} null waits as long as a call takes (image builds). */
    static DockerClient client(Map<String, String> env, Duration responseTimeout) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host(env));
        if (env.containsKey("DOCKER_TLS_VERIFY")) {
            builder.withDockerTlsVerify(env.get("DOCKER_TLS_VERIFY"));
        }
        if (env.containsKey("DOCKER_CERT_PATH")) {
            builder.withDockerCertPath(env.get("DOCKER_CERT_PATH"));
        }
        DockerClientConfig config = builder.build();
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5));
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        DockerHttpClient transport = http.build();
        return DockerClientImpl.getInstance(config, transport);
    }

    /** The innermost message of a failure, as short as it can be said: "Connection refused". */
    static String cause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        message = message.strip();
        // the daemon's JSON error bodies: {"message":"No such image: x"}
        if (message.startsWith("Status ") && message.contains("\"message\":\"")) {
            int start = message.indexOf("\"message\":\"") + 11;
            int end = message.indexOf('"', start);
            return end > start ? message.substring(start, end) : message;
        }
        return message;
    }
}
