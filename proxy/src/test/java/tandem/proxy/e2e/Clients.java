package tandem.proxy.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real PostgreSQL command-line clients. Where one is missing the test is skipped, unless
 * {@code TANDEM_REQUIRE_CLIENTS} is set (as CI sets it), in which case it fails: CI must not pass
 * by skipping what it is meant to prove.
 */
final class Clients {

    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    private Clients() {
    }

    static void require(String program) {
        boolean present;
        try {
            Process p = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!present) {
            String message = program + " is not installed (apt install "
                    + (program.equals("node") ? "nodejs npm" : "postgresql-client postgresql-15") + ")";
            if (System.getenv("TANDEM_REQUIRE_CLIENTS") != null) {
                throw new AssertionError(message + "; TANDEM_REQUIRE_CLIENTS is set, so this fails rather than skips");
            }
            Assumptions.abort(message);
        }
    }

    static Result run(Path workingDirectory, Map<String, String> environment, long timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        require(command[0]);
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(workingDirectory.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("LANG", "C.UTF-8");
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        builder.environment().remove("PGSERVICE");
        Process process = builder.start();
        var stdout = new java.io.ByteArrayOutputStream();
        var stderr = new java.io.ByteArrayOutputStream();
        Thread out = Thread.ofVirtual().start(() -> copy(process.getInputStream(), stdout));
        Thread err = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), stderr));
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        out.join();
        err.join();
        return new Result(process.exitValue(), stdout.toString(UTF_8), stderr.toString(UTF_8));
    }

    static List<String> args(String... args) {
        return new ArrayList<>(List.of(args));
    }

    private static void copy(java.io.InputStream in, java.io.OutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // the process went away; what was read is what there is
        }
    }
}
