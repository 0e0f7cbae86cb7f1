package io.servesim.experiments.cli;

import io.servesim.core.catalog.Catalog;
import io.servesim.experiments.catalog.CatalogEntryView;
import io.servesim.experiments.catalog.CatalogListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code servesim catalog list|show NAME}: the models and GPUs a deployment can name, and every field of one. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "List the catalog's models and GPUs, or show every field of one (docs/catalog.md).",
        subcommands = {CatalogCommand.ListEntries.class, CatalogCommand.Show.class})
public final class CatalogCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The user file both subcommands accept. */
    static final class UserFile {
        @Option(names = "--catalog", paramLabel = "FILE",
                description = "Extra or replacement GPUs and models (JSON, same form as the bundled catalog).")
        Path catalog;

        Catalog load() {
            return Catalog.load(Optional.ofNullable(catalog));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every model and GPU with its key numbers.")
    static final class ListEntries implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        UserFile userFile;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(CatalogListing.render(userFile.load()));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Every field of one model or GPU (name in any case), and what ServeSim derives from it.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        UserFile userFile;

        @Parameters(index = "0", paramLabel = "NAME", description = "A model or GPU name, e.g. llama-3.1-8b or h100-sxm.")
        String name;

        @Option(names = "--json", description = "Print the entry as a catalog file, to save, edit and pass as --catalog.")
        boolean json;

        @Override
        public Integer call() {
            Catalog catalog = userFile.load();
            String shown = (json ? CatalogEntryView.renderJson(catalog, name) : CatalogEntryView.render(catalog, name))
                    .orElseThrow(() -> new UserInputException(CatalogEntryView.unknown(catalog, name)));
            spec.commandLine().getOut().print(shown);
            return 0;
        }
    }
}
