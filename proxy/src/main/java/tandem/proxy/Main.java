package tandem.proxy;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import tandem.config.ConfigException;
import tandem.core.error.ProxyException;
import tandem.proxy.cli.AdminCommands;
import tandem.proxy.cli.BackfillCommand;
import tandem.proxy.cli.DemoCommand;
import tandem.proxy.cli.SchemaCommand;
import tandem.proxy.cli.VerifyCommand;
import tandem.proxy.cli.ServeCommand;

/** The {@code tandem} command. */
@Command(name = "tandem", mixinStandardHelpOptions = true, version = "tandem 0.1.0",
        description = "Zero-downtime database migration proxy that speaks PostgreSQL.",
        subcommands = {DemoCommand.class, ServeCommand.class, SchemaCommand.class, BackfillCommand.class, VerifyCommand.class,
            AdminCommands.Status.class, AdminCommands.Reads.class, AdminCommands.Plan.class, AdminCommands.Cutover.class,
            AdminCommands.Rollback.class, AdminCommands.Complete.class, AdminCommands.Events.class})
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with tandem's handling of expected failures: a message, a hint, exit code 2. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            // expected failures are reported in plain words; anything else with its stack
            if (e instanceof ConfigException || e instanceof ProxyException) {
                commandLine.getErr().println("tandem: " + e.getMessage());
                if (e instanceof ProxyException p && p.hint() != null) {
                    commandLine.getErr().println("hint: " + p.hint());
                }
                return 2;
            }
            throw e;
        });
        return cli;
    }
}
