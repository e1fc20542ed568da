import ArgumentParser
import GloVe

/// `glove shuffle`: shuffle a Stanford co-occurrence file.
struct ShuffleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shuffle",
        abstract: "Shuffle the records of a Stanford-format co-occurrence file (for Stanford's glove tool).",
        discussion: """
            The order is uniformly random and depends only on --seed. Files larger than
            --memory-limit are shuffled in chunks through temporary files. `glove train`
            shuffles by itself and does not need this.

            Example:
              glove shuffle --seed 1 --output cooc.shuf.bin cooc.bin
            """
    )

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Memory for records, in MiB.")
    var memoryLimit = 192

    @Option(help: "Folder for temporary files (default: $TMPDIR or /tmp).")
    var tempDir: String?

    @Option(name: .shortAndLong, help: "The shuffled file to write.")
    var output: String

    @Flag(help: "No progress on standard error.")
    var quiet = false

    @Argument(help: "A Stanford-format co-occurrence file.")
    var input: String

    func validate() throws {
        try checkOutput(output, option: "--output")
        _ = try memoryLimitBytes(memoryLimit)
    }

    func run() throws {
        let progress = Progress(quiet: quiet)
        let limit = try memoryLimitBytes(memoryLimit)
        try cliErrors { () throws(GloVeError) in
            try RecordShuffler.shuffle(input: input, output: output, seed: seed, memoryLimit: limit, temporaryDirectory: tempDir)
        }
        progress.finish("shuffle: \(input) -> \(output) in \(progress.elapsed.formatted(2)) s")
    }
}
