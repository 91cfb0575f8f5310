package dev.hone.cli;

import dev.hone.App;
import dev.hone.error.HoneException;
import dev.hone.server.Tokens;
import dev.hone.store.Store;
import dev.hone.store.TokenRow;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", description = "The tokens that read (and, with --scope write, write) hone serve's API and "
        + "dashboard, kept hashed in the store; a running server sees changes at once.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every subcommand takes, and the store they work on: the one hone serve uses with them. */
    static final class Common {
        @Mixin
        DataOption data;

        @Option(names = "--config", paramLabel = "FILE", description = "Installation settings (hone-server.yaml).")
        Path config;

        <T> T withTokens(App app, Function<Tokens, T> work) {
            try (Store store = Settings.load(app, config, data.data).openStore(app)) {
                return work.apply(new Tokens(store.installation(), new SecureRandom(), app.clock()));
            }
        }
    }

    @Command(name = "create", description = "Makes a token and prints it once (only its hash is kept).")
    static final class Create implements Callable<Integer> {
        private final App app;

        @Mixin
        Common common;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "What the token is for, such as ci (letters, digits, ., _ and -).")
        String name;

        @Option(names = "--scope", paramLabel = "read|write", defaultValue = "read",
                description = "read: the API's reads and the dashboard; write: also triggering and cancelling runs "
                        + "and adding repositories (default: read).")
        String scope;

        Create(App app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            TokenRow.Scope granted = switch (scope.toLowerCase(Locale.ROOT)) {
                case "read" -> TokenRow.Scope.READ;
                case "write" -> TokenRow.Scope.WRITE;
                default -> throw new HoneException("--scope must be read or write, got " + scope);
            };
            String token = common.withTokens(app, tokens -> tokens.create(name, granted));
            app.out().println("created token " + name + " (" + granted.label() + "); it is shown this once and kept "
                    + "only as a hash:");
            app.out().println("  " + token);
            app.out().println("send it as: Authorization: Bearer <token>, or sign in with it on the dashboard");
            return 0;
        }
    }

    @Command(name = "list", description = "The tokens, with their scope, creation and last use (never their text).")
    static final class ListTokens implements Callable<Integer> {
        private final App app;

        @Mixin
        Common common;

        ListTokens(App app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            List<TokenRow> tokens = common.withTokens(app, Tokens::list);
            if (tokens.isEmpty()) {
                app.out().println("no tokens: make one with hone token create --name NAME --scope read|write");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (TokenRow t : tokens) {
                rows.add(List.of(t.name(), t.scope().label(), RunsCommand.TIME.format(t.createdAt()),
                        t.lastUsedAt() == null ? "never" : RunsCommand.TIME.format(t.lastUsedAt())));
            }
            Tables.rows(app.out(), List.of("name", "scope", "created", "last used"), rows);
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revokes a token: refused from now on, its dashboard sessions end.")
    static final class Revoke implements Callable<Integer> {
        private final App app;

        @Mixin
        Common common;

        @Parameters(paramLabel = "NAME", description = "The token's name, as hone token list shows it.")
        String name;

        Revoke(App app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            common.withTokens(app, tokens -> {
                tokens.revoke(name);
                return null;
            });
            app.out().println("revoked token " + name + ": it is refused from now on, and the dashboard sessions "
                    + "signed in with it have ended");
            return 0;
        }
    }
}
