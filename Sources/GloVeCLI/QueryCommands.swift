import ArgumentParser
import GloVe

/// Loads a native model, or imports text vectors (by extension .txt / .vec).
func loadModel(_ path: String) throws -> GloVeModel {
    try cliErrors { () throws(GloVeError) -> GloVeModel in
        path.hasSuffix(".txt") || path.hasSuffix(".vec") ? try GloVeModel.importText(path: path) : try GloVeModel.load(path: path)
    }
}

/// Prints neighbours as `word<TAB>score` lines under a header.
func printNeighbors(_ title: String, _ neighbors: [Neighbor]) {
    StandardStreams.write(title + "\n")
    for n in neighbors { StandardStreams.write("  \(n.word)\t\(n.score)\n") }
}

/// `glove neighbors`: nearest words.
struct NeighborsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neighbors",
        abstract: "Print the nearest words of each word (cosine, or dot with --dot).",
        discussion: """
            An out-of-vocabulary word is looked up through its min-hash bucket when the
            model trained buckets (marked "via bucket"). With no WORD, reads one query
            per line from standard input: a word, or "a b c" for an analogy.

            Examples:
              glove neighbors model.glove democracy zebra
              echo "man king woman" | glove neighbors model.glove
            """
    )

    @Argument(help: "A model (.glove) or text vectors (.txt, .vec).")
    var model: String

    @Argument(help: "Words; standard input when none are given.")
    var words: [String] = []

    @Option(name: .short, help: "Neighbours per word.")
    var k = 10

    @Flag(help: "Score by inner product instead of cosine.")
    var dot = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("-k must be at least 1 (got \(k))") }
    }

    func run() throws {
        let index = NeighborIndex(model: try loadModel(model))
        let similarity: Similarity = dot ? .dot : .cosine
        let answer = { (query: String) in
            let parts = query.split(separator: " ").map(String.init)
            if parts.count == 3 {
                guard let found = index.analogy(parts[0], parts[1], parts[2], k: k) else {
                    StandardStreams.write("\(query): a word is unknown\n")
                    return
                }
                printNeighbors("\(parts[0]) : \(parts[1]) :: \(parts[2]) : ?", found)
            } else if let (found, known) = index.neighbors(of: query, k: k, similarity: similarity) {
                printNeighbors(known ? query : "\(query) (via bucket)", found)
            } else {
                StandardStreams.write("\(query): not in the vocabulary\n")
            }
        }
        if words.isEmpty {
            StandardStreams.forEachLine { line in
                let query = String(decoding: line, as: UTF8.self).trimmingSpacesForCLI
                if !query.isEmpty { answer(query) }
            }
        } else {
            words.forEach(answer)
        }
    }
}

/// `glove analogy`: a : b :: c : ?
struct AnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analogy",
        abstract: "Complete a : b :: c : ? (3CosAdd, or 3CosMul with --mul).",
        discussion: "Example:\n  glove analogy model.glove man king woman"
    )

    @Argument(help: "A model (.glove) or text vectors (.txt, .vec).")
    var model: String
    @Argument var a: String
    @Argument var b: String
    @Argument var c: String

    @Option(name: .short, help: "Answers to print.")
    var k = 5

    @Flag(help: "Use 3CosMul.")
    var mul = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("-k must be at least 1 (got \(k))") }
    }

    func run() throws {
        let index = NeighborIndex(model: try loadModel(model))
        guard let found = index.analogy(a, b, c, k: k, method: mul ? .multiply : .add) else {
            StandardStreams.error("glove: one of \(a), \(b), \(c) has no vector")
            throw ExitCode.failure
        }
        printNeighbors("\(a) : \(b) :: \(c) : ?", found)
    }
}

/// `glove export`: write vectors for other tools.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a model's word vectors as GloVe text, word2vec text or word2vec binary.",
        discussion: "Example:\n  glove export --format word2vec-bin -o vectors.bin model.glove"
    )

    @Option(help: "glove-text, word2vec-text or word2vec-bin.")
    var format: VectorFormatArgument = .gloveText

    @Option(name: .shortAndLong, help: "The file to write.")
    var output: String

    @Argument(help: "A model (.glove).")
    var model: String

    func validate() throws {
        try checkOutput(output, option: "--output")
    }

    func run() throws {
        let loaded = try loadModel(model)
        try cliErrors { () throws(GloVeError) in try loaded.export(path: output, format: format.value) }
    }
}

/// `glove evaluate`: word similarity and analogies.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model on word-pair similarity (Spearman) and analogy (accuracy) files.",
        discussion: """
            Example:
              glove evaluate --similarity wordsim353.tsv --analogies questions-words.txt model.glove
            """
    )

    @Option(help: "Word-pair file: word1 word2 score per line.")
    var similarity: [String] = []

    @Option(help: "Analogy file: \": section\" lines and \"a b c d\" questions.")
    var analogies: [String] = []

    @Argument(help: "A model (.glove) or text vectors (.txt, .vec).")
    var model: String

    func run() throws {
        let loaded = try loadModel(model)
        for path in similarity {
            let r = try cliErrors { () throws(GloVeError) in try Evaluation.similarity(model: loaded, path: path) }
            StandardStreams.write("\(path): Spearman \(r.spearman.formatted(3)) over \(r.covered) of \(r.total) pairs\n")
        }
        for path in analogies {
            let r = try cliErrors { () throws(GloVeError) in try Evaluation.analogies(model: loaded, path: path) }
            StandardStreams.write("\(path): accuracy \((100 * r.accuracy).formatted(1))% over \(r.covered) of \(r.total) questions\n")
            for s in r.sections where s.covered > 0 {
                StandardStreams.write("  \(s.name): \(s.correct)/\(s.covered)\n")
            }
        }
    }
}

/// The `--format` values of `glove export`.
enum VectorFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case gloveText = "glove-text", word2vecText = "word2vec-text", word2vecBin = "word2vec-bin"
    var value: VectorFormat {
        switch self {
        case .gloveText: return .gloveText
        case .word2vecText: return .word2vecText
        case .word2vecBin: return .word2vecBinary
        }
    }
}

extension String {
    /// The text without surrounding spaces, tabs and carriage returns.
    var trimmingSpacesForCLI: String {
        let skip: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: skip).reversed().drop(while: skip).reversed())
    }
}
