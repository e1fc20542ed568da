import ArgumentParser
import GloVe
#if canImport(Glibc)
import Glibc
#endif

/// `glove cooccur`: count a corpus's co-occurrence matrix.
struct CooccurCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cooccur",
        abstract: "Count word co-occurrences within a window and write the matrix.",
        discussion: """
            For every two tokens of a line at distance d <= window, adds 1/d (or 1 with
            --weighting uniform) to both (i, j) and (j, i). Out-of-vocabulary tokens are
            dropped before windowing, or counted through their min-hash buckets with
            --oov bucket (ids V + bucket). With --subsample t, each occurrence of a
            word of frequency f is kept with probability min(1, (sqrt(f/t) + 1) t/f)
            before windowing (word2vec's subsampling of frequent words; 1e-4 suits
            gcide). The result does not depend on --threads.
            Memory stays under --memory-limit: beyond it, sorted runs spill to
            temporary files (removed however the command ends).

            Formats: stanford (int32 i, int32 j, float64 x records, ids from 1,
            readable by Stanford GloVe's shuffle and glove) or native (compact,
            checksummed, read by `glove train`).

            Without --vocab, the vocabulary is built in the same read of the corpus
            (words seen at least --min-count times, at most --max-size of them) and
            written to --vocab-output: the same files as `glove vocab` then
            `glove cooccur`, for the cost of reading and tokenizing the text once.

            Examples:
              glove cooccur --vocab vocab.txt --window 10 --output cooc.bin corpus.txt
              glove cooccur --min-count 5 --vocab-output vocab.txt -o cooc.bin corpus.txt
              glove cooccur --vocab vocab.txt --format native --oov bucket -o cooc.glc corpus.txt
            """
    )

    @Option(help: "The vocab.txt file (from `glove vocab`); without it, the vocabulary is built and saved to --vocab-output.")
    var vocab: String?

    @Option(help: "Where to write the vocabulary built without --vocab.")
    var vocabOutput: String?

    @Option(help: "With --vocab-output: leave out words seen fewer times (default 5).")
    var minCount: UInt64?

    @Option(help: "With --vocab-output: keep at most this many words (default 0: no limit).")
    var maxSize: Int?

    @Option(help: "Window size (1...16383).")
    var window = 10

    @Option(help: "harmonic (1/d) or uniform (1).")
    var weighting: WeightingArgument = .harmonic

    @Option(help: "Frequent-word subsampling threshold in [0, 1), e.g. 1e-4 (0: keep every token).")
    var subsample = 0.0

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

    func validate() throws {
        if (vocab == nil) == (vocabOutput == nil) {
            throw ValidationError("give either --vocab (an existing vocabulary) or --vocab-output (build one)")
        }
        if vocab != nil && (minCount != nil || maxSize != nil) {
            throw ValidationError("--min-count and --max-size build a vocabulary: use them with --vocab-output, not --vocab")
        }
        try checkOutput(output, option: "--output")
        if let vocabOutput {
            try checkOutput(vocabOutput, option: "--vocab-output")
            try checkDistinct(vocabOutput, "--vocab-output", output, "--output")
        }
        _ = try memoryLimitBytes(memoryLimit)
    }

    /// Commits the matrix (`commitMatrix`) together with the vocabulary
    /// `built` for --vocab-output: the vocabulary is written first but
    /// appears only after the matrix, so a failure leaves both old files.
    private func commitPaired(_ commitMatrix: () throws(GloVeError) -> Void, _ built: Vocabulary?) throws(GloVeError) {
        guard let built, let vocabOutput else { return try commitMatrix() }
        try built.save(path: vocabOutput, after: commitMatrix)
    }

    func run() throws {
        var options = CooccurrenceOptions()
        options.window = window
        options.weighting = weighting.value
        options.oov = oov.value
        options.mode = mode.mode
        options.crossLines = crossLines
        options.subsample = subsample
        options.threads = threads
        options.memoryLimit = try memoryLimitBytes(memoryLimit)
        options.temporaryDirectory = tempDir
        let progress = Progress(quiet: quiet)
        let report = { (bytes: Int) -> Bool in
            progress.update("cooccur: \(formatBytes(bytes)) read, \(formatBytes(Int(Double(bytes) / max(progress.elapsed, 1e-9))))/s, peak memory \(formatBytes(peakMemoryBytes()))")
            return true
        }
        let stored = try cliErrors { () throws(GloVeError) -> Int in
            let counter: Counter
            if let vocab {
                counter = .given(try Vocabulary.load(path: vocab))
            } else {
                counter = .building(vocabularyOptions)
            }
            let stored: Int
            let built: Vocabulary?
            switch format {
            case .stanford:
                let writer = try StanfordFileWriter(path: output)
                var count = 0
                built = try counter.count(paths: files, options: options, progress: report) { (i, j, x) throws(GloVeError) in
                    try writer.write(i, j, x)
                    if i != j { try writer.write(j, i, x) }
                    count += 1
                }
                try commitPaired(writer.commit, built)
                stored = count
            case .native:
                let matrix: CooccurrenceMatrix
                (built, matrix) = try counter.count(paths: files, options: options, progress: report)
                try commitPaired({ () throws(GloVeError) in try matrix.save(path: output, format: .native) }, built)
                stored = matrix.storedCount
            }
            return stored
        }
        progress.finish("cooccur: \(stored) distinct pairs in \(progress.elapsed.formatted(2)) s, peak memory \(formatBytes(peakMemoryBytes())) -> \(output)")
    }

    private var vocabularyOptions: VocabularyOptions {
        var options = VocabularyOptions()
        options.minCount = minCount ?? options.minCount
        options.maxSize = maxSize ?? options.maxSize
        options.mode = mode.mode
        return options
    }
}

/// Where the vocabulary comes from: a file, or the same read of the corpus.
private enum Counter {
    case given(Vocabulary)
    case building(VocabularyOptions)

    /// Counts, passing each stored entry to `body`.
    /// - Returns: the vocabulary built, if any.
    func count(paths: [String], options: CooccurrenceOptions, progress: @escaping (Int) -> Bool,
               entries body: (Int, Int, Double) throws(GloVeError) -> Void) throws(GloVeError) -> Vocabulary? {
        switch self {
        case .given(let vocabulary):
            try CooccurrenceCounter.count(paths: paths, vocabulary: vocabulary, options: options, progress: progress, entries: body)
            return nil
        case .building(let vocabularyOptions):
            return try CooccurrenceCounter.countCorpus(paths: paths, vocabularyOptions: vocabularyOptions,
                                                       options: options, progress: progress, entries: body)
        }
    }

    /// Counts into a matrix.
    /// - Returns: the vocabulary built, if any, and the matrix.
    func count(paths: [String], options: CooccurrenceOptions,
               progress: @escaping (Int) -> Bool) throws(GloVeError) -> (Vocabulary?, CooccurrenceMatrix) {
        switch self {
        case .given(let vocabulary):
            return (nil, try CooccurrenceCounter.count(paths: paths, vocabulary: vocabulary, options: options, progress: progress))
        case .building(let vocabularyOptions):
            let (vocabulary, matrix) = try CooccurrenceCounter.countCorpus(paths: paths, vocabularyOptions: vocabularyOptions,
                                                                           options: options, progress: progress)
            return (vocabulary, matrix)
        }
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
