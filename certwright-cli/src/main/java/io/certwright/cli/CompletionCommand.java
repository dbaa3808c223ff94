package io.certwright.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/// `certwright completion`: prints a bash (and zsh) completion script, e.g. `source <(certwright completion)`.
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print a bash/zsh completion script for certwright.",
            "Run 'source <(certwright completion)' or save the output in /etc/bash_completion.d/certwright."})
final class CompletionCommand extends AutoComplete.GenerateCompletion {
}
