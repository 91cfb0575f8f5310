package dev.hone.cli;

import dev.hone.App;
import dev.hone.build.Build;
import dev.hone.error.EnvironmentException;
import dev.hone.error.HoneException;
import dev.hone.spec.Suggestions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code hone}: the entry point. Every command gets the {@link App} through picocli's factory, and inherits
 * {@code --help} and {@code --version}.
 */
@Command(name = "hone", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Main.Version.class,
        description = "Continuous training: runs your training code, tunes it until it reaches the target, "
                + "and tells you what happened.",
        subcommands = {RunCommand.class, DemoCommand.class, InitCommand.class, ValidateCommand.class,
                RunsCommand.class, TrialsCommand.class, LogsCommand.class, CancelCommand.class, ServeCommand.class, RepoCommand.class, TokenCommand.class, GcCommand.class,
                BisectCommand.class, ReproduceCommand.class,
                BackupCommand.class, RestoreCommand.class,
                NotifyCommand.class,
                BenchCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(App.system(), args));
    }

    /** Runs a command line against an App and returns the exit code (tests call this in-process). */
    public static int execute(App app, String... args) {
        CommandLine cli = new CommandLine(new Main(), new Factory(app));
        cli.setOut(new PrintWriter(app.out(), true));
        cli.setErr(new PrintWriter(app.err(), true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("hone: " + message(e));
            line.getErr().flush();
            return e instanceof EnvironmentException ? 3 : e instanceof HoneException ? 2 : 4;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            e.getCommandLine().getErr().println("hone: " + e.getMessage());
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
                command(unmatched).ifPresent(c -> e.getCommandLine().getErr().println("Did you mean: " + c + "?"));
            }
            e.getCommandLine().getErr().println("Run `" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help` for the options.");
            return 2;
        });
        return cli.execute(args);
    }

    /** The subcommand nearest to an unknown word where a command was expected ({@code hone rnu}: run). */
    private static Optional<String> command(CommandLine.UnmatchedArgumentException e) {
        List<String> unmatched = e.getUnmatched();
        Map<String, CommandLine> commands = e.getCommandLine().getSubcommands();
        if (unmatched.isEmpty() || unmatched.get(0).startsWith("-") || commands.isEmpty()) {
            return Optional.empty();
        }
        return Suggestions.closest(unmatched.get(0), List.copyOf(commands.keySet()));
    }

    private static String message(Exception e) {
        if (e instanceof HoneException) {
            return e.getMessage();
        }
        return "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + "\nThis is a bug in Hone; please report it with the command you ran.";
    }

    /** Bare {@code hone}: a usage error, answered with the usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The version and commit the build wrote into {@code dev/hone/build.properties} (see pom.xml). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Build build = Build.current();
            return new String[] {"hone " + (build.version() == null ? "(version unknown: built without Maven)"
                    : build.version()) + " (commit " + build.commit() + ")"};
        }
    }

    /** Hands the App to every command that takes it in its constructor. */
    private record Factory(App app) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(App.class).newInstance(app);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
