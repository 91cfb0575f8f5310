package dev.hone.cli;

import dev.hone.App;
import dev.hone.error.EnvironmentException;
import dev.hone.error.HoneException;
import java.io.PrintWriter;
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
                RunsCommand.class, TrialsCommand.class, ServeCommand.class, RepoCommand.class, TokenCommand.class,
                NotifyCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

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
            e.getCommandLine().getErr().println("Run `" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help` for the options.");
            return 2;
        });
        return cli.execute(args);
    }

    private static String message(Exception e) {
        if (e instanceof HoneException) {
            return e.getMessage();
        }
        return "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + "\nThis is a bug in Hone; please report it with the command you ran.";
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"hone " + (v == null ? "development build" : v)};
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
