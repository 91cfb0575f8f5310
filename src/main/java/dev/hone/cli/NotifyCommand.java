package dev.hone.cli;

import dev.hone.App;
import dev.hone.notify.Channels;
import dev.hone.notify.Delivery;
import dev.hone.notify.Event;
import dev.hone.run.DeliveryStatus;
import dev.hone.source.Commit;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "notify", description = "Notification channels.", subcommands = NotifyCommand.Test.class)
final class NotifyCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "test", description = {
            "Sends a test message through every configured channel (hone-server.yaml's notify:, and the notify: of "
                    + "DIR's hone.yaml when there is one) and reports each result.",
            "Exit codes: 0 when none failed, 1 otherwise."})
    static final class Test implements Callable<Integer> {

        private final App app;

        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
                description = "A project whose hone.yaml adds recipients or channels (default: the current directory).")
        Path dir;

        @Option(names = "--config", paramLabel = "FILE", description = "Installation settings (hone-server.yaml).")
        Path config;

        Test(App app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            Settings settings = Settings.load(app, config, null);
            Path project = dir.toAbsolutePath().normalize();
            String name = project.getFileName() == null ? "project" : project.getFileName().toString();
            Optional<Path> file = Files.isDirectory(project) ? SpecLoader.find(project) : Optional.empty();
            Spec spec = file.isPresent() ? SpecLoader.load(file.get(), name, app.env()) : Spec.defaults(name);
            Optional<Commit> commit = Commit.of(project);
            Event.Origin origin = new Event.Origin(spec.name(), commit.map(Commit::sha).orElse(null),
                    commit.map(Commit::author).orElse(null), commit.map(Commit::authorEmail).orElse(null),
                    commit.map(Commit::remoteUrl).orElse(null));
            Channels channels = new Channels(settings.server().notifications(), settings.server().publicUrl(),
                    app.out());
            List<Delivery> results = channels.test(origin, spec.notifications(), app.clock().instant());
            List<List<String>> rows = new ArrayList<>();
            for (Delivery d : results) {
                rows.add(List.of(d.channel(), d.status().label(), d.detail() == null ? "" : d.detail()));
            }
            app.out().println();
            Tables.rows(app.out(), List.of("channel", "result", "detail"), rows);
            return results.stream().anyMatch(d -> d.status() == DeliveryStatus.FAILED) ? 1 : 0;
        }
    }
}
