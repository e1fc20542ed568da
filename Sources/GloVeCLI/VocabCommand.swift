import ArgumentParser
import GloVe

/// `glove vocab`: count a corpus's words into a vocab.txt file.
struct VocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Count the words of a corpus and write vocab.txt (\"word count\" per line).",
        discussion: """
            Each line of the input is a document. Words are numbered by count,
            most frequent first, ties broken by byte order. "-" reads standard input.

            Examples:
              glove vocab --min-count 5 --output vocab.txt corpus.txt
              glove vocab --max-size 100000 --mode pretokenized --output vocab.txt part-*.txt
            """
    )

    @Option(help: "Leave out words seen fewer times.")
    var minCount: UInt64 = 5

    @Option(help: "Keep at most this many words (0: no limit).")
    var maxSize: Int = 0

    @Option(help: "text (split on non-letters, lowercase) or pretokenized (split on whitespace).")
    var mode: ModeArgument = .text

    @Option(help: "Worker threads (0: one per processor).")
    var threads: Int = 0

    @Option(name: .shortAndLong, help: "The vocab.txt file to write.")
    var output: String

    @Flag(help: "No progress on standard error.")
    var quiet = false

    @Argument(help: "Corpus files, one document per line.")
    var files: [String]

    func validate() throws {
        try checkOutput(output, option: "--output")
    }

    func run() throws {
        var options = VocabularyOptions()
        options.minCount = minCount
        options.maxSize = maxSize
        options.mode = mode.mode
        options.threads = threads
        let progress = Progress(quiet: quiet)
        let vocabulary = try cliErrors { () throws(GloVeError) in
            try Vocabulary.build(paths: files, options: options) { bytes in
                progress.update("vocab: \(formatBytes(bytes)) read, \(formatBytes(Int(Double(bytes) / max(progress.elapsed, 1e-9))))/s")
                return true
            }
        }
        try cliErrors { () throws(GloVeError) in try vocabulary.save(path: output) }
        progress.finish("vocab: \(vocabulary.count) words with count >= \(minCount) in \(progress.elapsed.formatted(2)) s -> \(output)")
    }
}

/// The `--mode` values.
enum ModeArgument: String, ExpressibleByArgument, CaseIterable {
    case text, pretokenized

    var mode: TokenizerMode { self == .text ? .text : .pretokenized }
}

/// Runs `body`, turning a library error into a message on stderr and exit status 1.
func cliErrors<R>(_ body: () throws(GloVeError) -> R) throws -> R {
    do {
        return try body()
    } catch {
        StandardStreams.error("glove: \(error.message)")
        throw ExitCode.failure
    }
}

extension Double {
    /// The value with `digits` decimals.
    func formatted(_ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return "\((self * scale).rounded() / scale)"
    }
}
