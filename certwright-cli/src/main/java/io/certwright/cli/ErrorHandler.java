package io.certwright.cli;

import io.certwright.ca.CaException;
import io.certwright.ca.LedgerException;
import io.certwright.ca.profile.PolicyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.security.GeneralSecurityException;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/// Turns exceptions into exit codes and exactly one line on stderr.
///
/// Expected failures (policy refusals, bad files, wrong passphrases, malformed values) exit 1 with
/// `error: <message>`; usage errors exit 2; anything else is a bug and exits 1 with a hint to rerun with
/// `CERTWRIGHT_DEBUG=1`, which also prints the stack trace.
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        boolean debug = debug(cl);
        if (isExpected(ex)) {
            err.println("error: " + message(ex));
        } else {
            err.println("error: unexpected " + ex.getClass().getName() + ": " + oneLine(String.valueOf(ex.getMessage()))
                    + (debug ? "" : " (run with " + Main.DEBUG_VARIABLE + "=1 for details)"));
        }
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + oneLine(String.valueOf(ex.getMessage())) + " (see '"
                + cl.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    static boolean isExpected(Throwable ex) {
        return ex instanceof CliException || ex instanceof PolicyException || ex instanceof CaException
                || ex instanceof LedgerException || ex instanceof IOException || ex instanceof UncheckedIOException
                || ex instanceof GeneralSecurityException || ex instanceof IllegalArgumentException;
    }

    /// The one-line message for an expected failure.
    static String message(Throwable ex) {
        return oneLine(switch (ex) {
            case PolicyException p -> "refused: " + String.join("; ", p.refusals().stream().map(Object::toString).toList());
            case UncheckedIOException u -> {
                IOException cause = u.getCause();
                yield cause == null ? String.valueOf(u.getMessage()) : message(cause);
            }
            case NoSuchFileException f -> "no such file or directory: " + f.getFile();
            case AccessDeniedException f -> "permission denied: " + f.getFile();
            case FileAlreadyExistsException f -> "already exists: " + f.getFile();
            case DirectoryNotEmptyException f -> "directory not empty: " + f.getFile();
            case NotDirectoryException f -> "not a directory: " + f.getFile();
            case FileSystemException f -> f.getFile() + ": " + (f.getReason() == null ? "file system error" : f.getReason());
            default -> ex.getMessage() == null || ex.getMessage().isBlank()
                    ? ex.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(Locale.ROOT)
                    : ex.getMessage();
        });
    }

    static String oneLine(String s) {
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private static boolean debug(CommandLine cl) {
        Object root = cl.getCommandSpec().root().userObject();
        return root instanceof Main m && m.debug();
    }
}
