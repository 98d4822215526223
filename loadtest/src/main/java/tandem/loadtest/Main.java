package tandem.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar tandem-loadtest.jar run ...} drives load; {@code ... audit ...} compares two stores.
 * Exit codes: 0 clean, 1 the run saw unexpected errors or the audit found differences, 2 the
 * command could not do its work (bad options, a store it cannot reach).
 */
@Command(name = "tandem-loadtest", mixinStandardHelpOptions = true,
        description = "Load and audit for tandem: drive a PostgreSQL endpoint with the demo workload, "
                + "then compare the old store with the new one row by row.",
        subcommands = {RunCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code, for tests and for {@link #main}. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("tandem-loadtest: " + e.getMessage());
            return 2;
        });
        cli.setExitCodeExceptionMapper(e -> 2);
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run or audit");
    }
}
