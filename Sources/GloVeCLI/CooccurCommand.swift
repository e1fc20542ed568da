import ArgumentParser
import GloVe

/// `glove cooccur`: count a corpus's co-occurrence matrix.
struct CooccurCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cooccur",
        abstract: "Count word co-occurrences within a window and write the matrix.",
        discussion: """
            For every two tokens of a line at distance d <= window, adds 1/d (or 1 with
            --weighting uniform) to both (i, j) and (j, i). Out-of-vocabulary tokens are
            dropped before windowing, or counted through their min-hash buckets with
            --oov bucket (ids V + bucket). The result does not depend on --threads.
            Memory stays under --memory-limit: beyond it, sorted runs spill to
            temporary files (removed however the command ends).

            Formats: stanford (int32 i, int32 j, float64 x records, ids from 1,
            readable by Stanford GloVe's shuffle and glove) or native (compact,
            checksummed, read by `glove train`).

            Examples:
              glove cooccur --vocab vocab.txt --window 10 --output cooc.bin corpus.txt
              glove cooccur --vocab vocab.txt --format native --oov bucket -o cooc.glc corpus.txt
            """
    )

    @Option(help: "The vocab.txt file (from `glove vocab`).")
    var vocab: String

    @Option(help: "Window size (1...16383).")
    var window = 10

    @Option(help: "harmonic (1/d) or uniform (1).")
    var weighting: WeightingArgument = .harmonic

    @Option(help: "drop out-of-vocabulary tokens, or count them through their min-hash bucket.")
    var oov: OOVArgument = .drop

    @Option(help: "text (split on non-letters, lowercase) or pretokenized (split on whitespace).")
    var mode: ModeArgument = .text

    @Flag(help: "Let windows run across line ends (one thread).")
    var crossLines = false

    @Option(help: "stanford or native.")
    var format: FormatArgument = .stanford

    @Option(help: "Worker threads (0: one per processor).")
    var threads = 0

    @Option(help: "Memory for counting tables, in MiB.")
    var memoryLimit = 160

    @Option(help: "Folder for temporary spill files (default: $TMPDIR or /tmp).")
    var tempDir: String?

    @Option(name: .shortAndLong, help: "The matrix file to write.")
    var output: String

    @Flag(help: "No progress on standard error.")
    var quiet = false

    @Argument(help: "Corpus files, one document per line.")
    var files: [String]

    func run() throws {
        let vocabulary = try cliErrors { () throws(GloVeError) in try Vocabulary.load(path: vocab) }
        var options = CooccurrenceOptions()
        options.window = window
        options.weighting = weighting.value
        options.oov = oov.value
        options.mode = mode.mode
        options.crossLines = crossLines
        options.threads = threads
        options.memoryLimit = memoryLimit << 20
        options.temporaryDirectory = tempDir
        let progress = Progress(quiet: quiet)
        let report = { (bytes: Int) -> Bool in
            progress.update("cooccur: \(formatBytes(bytes)) read, \(formatBytes(Int(Double(bytes) / max(progress.elapsed, 1e-9))))/s, peak memory \(formatBytes(peakMemoryBytes()))")
            return true
        }
        let stored = try cliErrors { () throws(GloVeError) -> Int in
            switch format {
            case .stanford:
                let writer = try StanfordFileWriter(path: output)
                var stored = 0
                try CooccurrenceCounter.count(paths: files, vocabulary: vocabulary, options: options, progress: report) { (i, j, x) throws(GloVeError) in
                    try writer.write(i, j, x)
                    if i != j { try writer.write(j, i, x) }
                    stored += 1
                }
                try writer.commit()
                return stored
            case .native:
                let matrix = try CooccurrenceCounter.count(paths: files, vocabulary: vocabulary, options: options, progress: report)
                try matrix.save(path: output, format: .native)
                return matrix.storedCount
            }
        }
        progress.finish("cooccur: \(stored) distinct pairs in \(progress.elapsed.formatted(2)) s, peak memory \(formatBytes(peakMemoryBytes())) -> \(output)")
    }
}

/// The `--weighting` values.
enum WeightingArgument: String, ExpressibleByArgument, CaseIterable {
    case harmonic, uniform
    var value: CooccurrenceOptions.Weighting { self == .harmonic ? .harmonic : .uniform }
}

/// The `--oov` values.
enum OOVArgument: String, ExpressibleByArgument, CaseIterable {
    case drop, bucket
    var value: Vocabulary.OOVPolicy { self == .drop ? .drop : .bucket }
}

/// The `--format` values.
enum FormatArgument: String, ExpressibleByArgument, CaseIterable {
    case stanford, native
    var value: CooccurrenceFormat { self == .stanford ? .stanford : .native }
}
