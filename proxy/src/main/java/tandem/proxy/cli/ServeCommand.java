package tandem.proxy.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tandem.config.ConfigLoader;
import tandem.config.TandemConfig;
import tandem.proxy.TandemServer;

/** {@code tandem serve --config FILE}: runs the proxy until interrupted. */
@Command(name = "serve", description = "Run tandem with a configuration file.", mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "YAML configuration; ${VAR} is replaced from the environment.")
    Path config;

    @Override
    public Integer call() throws Exception {
        TandemConfig loaded = ConfigLoader.load(config);
        TandemServer server = TandemServer.start(loaded);
        awaitShutdown(server);
        return 0;
    }

    /** Blocks until SIGINT/SIGTERM, then stops the server cleanly before the JVM exits. */
    static void awaitShutdown(AutoCloseable... resources) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("tandem: while stopping: " + e);
                }
            }
            stopped.countDown();
        }, "tandem-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
    }
}
