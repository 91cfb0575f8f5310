package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.server.Serve;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.ServerSpec.ReadAccess;
import dev.hone.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code hone serve} process says at start who may read, and the tokens {@code hone token} makes and revokes
 * in its store are accepted and refused by the running server at once.
 */
class ServeReadAccessTest {

    @TempDir
    Path home;

    @Test
    void onEveryInterfaceReadsNeedATokenByDefaultAndTheTokensOfHoneTokenWorkAtOnce() throws Exception {
        int port = Ports.free();
        Path data = home.resolve("data");
        Path config = Files.writeString(home.resolve("hone-server.yaml"), "listen: 0.0.0.0:" + port + "\n"
                + "api_token: " + Serve.TOKEN + "\n");
        try (ServeProcess hone = ServeProcess.start(home, config, data)) {
            assertThat(hone.said()).contains("hone: read access: token (the default where listen is not a loopback "
                    + "address) — the API and the dashboard need a token to read; make one with: hone token create "
                    + "--name NAME --scope read");
            String api = "http://127.0.0.1:" + port + "/api/runs";
            assertThat(get(api, null).statusCode()).isEqualTo(401);
            Cli cli = new Cli(home);
            cli.run("token", "create", "--name", "ci", "--data", data.toString());
            String token = TokenCommandTest.created(cli, "ci", "read");

            assertThat(get(api, token).statusCode()).isEqualTo(200);
            assertThat(cli.run("token", "list", "--data", data.toString())).isZero();
            assertThat(cli.out()).doesNotContain("never");
            cli.run("token", "revoke", "ci", "--data", data.toString());
            assertThat(get(api, token).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void whatServeSaysOfReadAccessNamesWhyAndTheWayToChangeIt() {
        ServerSpec.Listen loopback = new ServerSpec.Listen("127.0.0.1", 8080);
        ServerSpec.Listen everywhere = new ServerSpec.Listen("0.0.0.0", 8080);

        assertThat(ServeCommand.readAccess(ReadAccess.PUBLIC, false, loopback)).isEqualTo("read access: public (the "
                + "default on a loopback address) — anyone who reaches 127.0.0.1:8080 reads runs, logs and "
                + "parameters; set read_access: token to require a token");
        assertThat(ServeCommand.readAccess(ReadAccess.PUBLIC, true, everywhere)).isEqualTo("read access: public "
                + "(read_access: public) — anyone who reaches 0.0.0.0:8080 reads runs, logs and parameters");
        assertThat(ServeCommand.readAccess(ReadAccess.TOKEN, true, loopback)).isEqualTo("read access: token "
                + "(read_access: token) — the API and the dashboard need a token to read; make one with: hone token "
                + "create --name NAME --scope read");
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
