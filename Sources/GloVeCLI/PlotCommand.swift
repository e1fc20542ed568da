import ArgumentParser
import GloVe
#if canImport(Glibc)
import Glibc
#endif

/// `glove plot`: SVG pictures of models, written without any plotting library.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw SVG pictures: training loss, a 2-D map of words, a recommender's precision@k.",
        discussion: """
            Examples:
              glove plot loss model.glove -o loss.svg
              glove plot words model.glove democracy king music --neighbors 6 -o words.svg
              glove plot precision --model m.glbl --user-features u.tsv --train train.tsv --test test.tsv -o p.svg
            """,
        subcommands: [PlotLossCommand.self, PlotWordsCommand.self, PlotPrecisionCommand.self]
    )
}

/// `glove plot loss`.
struct PlotLossCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loss",
        abstract: "The training loss per epoch of a GloVe model or a bilinear model.",
        discussion: "Example:\n  glove plot loss model.glove -o loss.svg"
    )

    @Argument(help: "A model file (GloVe or bilinear).")
    var model: String
    @Option(name: .shortAndLong, help: "The SVG file to write.")
    var output: String

    func validate() throws {
        try checkOutput(output, option: "--output")
    }

    func run() throws {
        let losses = try cliErrors { () throws(GloVeError) -> [Double] in
            do throws(GloVeError) {
                return try GloVeModel.load(path: model).lossHistory
            } catch {
                // Only a file of the other kind is tried as a bilinear model;
                // a damaged GloVe model reports its own error.
                guard case .format(let message) = error, message.hasSuffix("(bad magic)") else { throw error }
                return try BilinearModel.load(path: model).lossHistory
            }
        }
        guard !losses.isEmpty else {
            StandardStreams.error("glove: \(model) has no loss history (it was imported, or trained for 0 epochs)")
            throw ExitCode.failure
        }
        try writeSVG(SVGChart(title: "Training loss", xLabel: "epoch", yLabel: "mean loss").line(losses), to: output)
    }
}

/// `glove plot words`.
struct PlotWordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "words",
        abstract: "A 2-D map (PCA) of chosen words and their nearest neighbours.",
        discussion: "Example:\n  glove plot words model.glove democracy king music --neighbors 6 -o words.svg"
    )

    @Argument(help: "The model file.")
    var model: String
    @Argument(help: "Words to place on the map.")
    var words: [String]
    @Option(help: "Nearest neighbours shown with each word.")
    var neighbors = 5
    @Option(name: .shortAndLong, help: "The SVG file to write.")
    var output: String

    func validate() throws {
        try checkOutput(output, option: "--output")
        guard neighbors >= 0 else { throw ValidationError("--neighbors must be at least 0 (got \(neighbors))") }
    }

    func run() throws {
        let points = try cliErrors { () throws(GloVeError) -> [SVGChart.Point] in
            let model = try GloVeModel.load(path: self.model)
            let index = NeighborIndex(model: model)
            var labels: [(String, Bool)] = [], vectors: [[Float]] = []
            for word in words {
                guard let vector = model.vector(word), let found = index.neighbors(of: word, k: neighbors) else {
                    throw .invalidArgument("'\(word)' has no row in \(self.model)")
                }
                if let shown = labels.firstIndex(where: { $0.0 == word }) {
                    labels[shown].1 = true  // already placed as a neighbour, or given twice
                } else {
                    labels.append((word, true))
                    vectors.append(vector)
                }
                for n in found.neighbors where !labels.contains(where: { $0.0 == n.word }) {
                    labels.append((n.word, false))
                    vectors.append(Array(model.vector(row: n.id)))
                }
            }
            let projected = PrincipalComponents.project(vectors)
            return zip(labels, projected).map { SVGChart.Point(x: $1.0, y: $1.1, label: $0.0, highlighted: $0.1) }
        }
        let chart = SVGChart(title: "Words and their neighbours (PCA)", xLabel: "first principal component",
                             yLabel: "second principal component")
        try writeSVG(chart.scatter(points), to: output)
    }
}

/// `glove plot precision`.
struct PlotPrecisionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precision",
        abstract: "A bilinear model's precision@k on held-out interactions, for k = 1 ... max-k.",
        discussion: """
            Example:
              glove plot precision --model m.glbl --user-features u.tsv --train train.tsv --test test.tsv -o p.svg
            """
    )

    @Option(help: "The bilinear model file.")
    var model: String
    @Option(help: "User features (row, feature, value).")
    var userFeatures: String
    @Option(help: "Training interactions (removed from the rankings).")
    var train: String
    @Option(help: "Held-out interactions.")
    var test: String
    @Option(help: "Largest k.")
    var maxK = 20
    @Option(name: .shortAndLong, help: "The SVG file to write.")
    var output: String

    func validate() throws {
        try checkOutput(output, option: "--output")
    }

    func run() throws {
        let values = try cliErrors { () throws(GloVeError) -> [Double] in
            guard maxK >= 1 && maxK <= 1000 else { throw .invalidArgument("--max-k must be 1 ... 1000 (got \(maxK))") }
            let model = try BilinearModel.load(path: self.model)
            let trainSet = try Interactions.load(path: train), testSet = try Interactions.load(path: test)
            let users = try FeatureMatrix.load(path: userFeatures, columns: model.userFeatureCount)
            var values: [Double] = []
            for k in 1...maxK { values.append(try model.evaluate(users: users, train: trainSet, test: testSet, k: k).precision) }
            return values
        }
        try writeSVG(SVGChart(title: "Precision at k", xLabel: "k", yLabel: "precision@k").line(values), to: output)
    }
}

/// The first two principal components of a few vectors (power iteration with deflation).
enum PrincipalComponents {
    static func project(_ vectors: [[Float]]) -> [(Double, Double)] {
        guard let d = vectors.first?.count, vectors.count > 1 else { return vectors.map { _ in (0, 0) } }
        let n = Double(vectors.count)
        let mean = (0..<d).map { k in vectors.reduce(0.0) { $0 + Double($1[k]) } / n }
        let centred = vectors.map { v in (0..<d).map { Double(v[$0]) - mean[$0] } }
        var components: [[Double]] = []
        for c in 0..<2 {
            var axis = (0..<d).map { Double(($0 * 7919 + c * 104_729) % 1000) / 1000 + 0.1 }
            for _ in 0..<200 {
                var next = [Double](repeating: 0, count: d)
                for row in centred {
                    let dot = zip(row, axis).reduce(0) { $0 + $1.0 * $1.1 }
                    for k in 0..<d { next[k] += dot * row[k] }
                }
                for previous in components {
                    let dot = zip(next, previous).reduce(0) { $0 + $1.0 * $1.1 }
                    for k in 0..<d { next[k] -= dot * previous[k] }
                }
                let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 0 else { break }
                axis = next.map { $0 / norm }
            }
            components.append(axis)
        }
        return centred.map { row in
            (zip(row, components[0]).reduce(0) { $0 + $1.0 * $1.1 }, zip(row, components[1]).reduce(0) { $0 + $1.0 * $1.1 })
        }
    }
}

/// Writes `text` to `path` atomically, as the library writes its files.
func writeSVG(_ text: String, to path: String) throws {
    try cliErrors { () throws(GloVeError) in try writeAtomically(text, to: path) }
}
