import ArgumentParser
import GloVe

/// `glove recommend`: bilinear recommenders on TSV files.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Train, query and evaluate bilinear user-item recommenders on TSV files.",
        discussion: """
            Files are tab-separated: interactions are `user<TAB>item[<TAB>value]`, features
            `row<TAB>feature<TAB>value` (ids from 0). A new user needs only a feature row.

            Examples:
              glove recommend fit --train train.tsv --user-features users.tsv --item-features items.tsv -o model.glbl
              glove recommend top --model model.glbl --user-features new_users.tsv -k 10
              glove recommend evaluate --model model.glbl --user-features users.tsv --train train.tsv --test test.tsv
              glove recommend add-items --model model.glbl --item-features new_items.tsv -o bigger.glbl
            """,
        subcommands: [RecommendFitCommand.self, RecommendTopCommand.self, RecommendEvaluateCommand.self,
                      RecommendAddItemsCommand.self]
    )
}

/// `glove recommend fit`.
struct RecommendFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Train a bilinear model and save it.",
        discussion: """
            Forms: factorized (rank-k latent factors; one-hot ids give matrix factorisation),
            diagonal (score = sum a_k u_k x_k over one shared feature space) and full (u^T A x).
            Losses: warp or bpr for implicit positives, squared for ratings (solved in closed
            form for the diagonal and full forms). With --threads 1 the result is repeatable.

            Examples:
              glove recommend fit --train train.tsv --user-features u.tsv --item-features i.tsv --epochs 30 -o m.glbl
              glove recommend fit --train ratings.tsv --user-features u.tsv --item-features i.tsv --form full --loss squared -o m.glbl
            """
    )

    @Option(help: "Interactions to train on (user, item[, value]).")
    var train: String
    @Option(help: "User features (row, feature, value).")
    var userFeatures: String
    @Option(help: "Item features (row, feature, value); their rows are the catalogue.")
    var itemFeatures: String
    @Option(help: "factorized, diagonal or full.")
    var form: FormArgument = .factorized
    @Option(help: "Latent rank of the factorized form.")
    var rank = 32
    @Option(help: "warp, bpr or squared.")
    var loss: LossArgument = .warp
    @Option(help: "adagrad, adam or sgd.")
    var optimizer: OptimizerArgument = .adagrad
    @Option(help: "Learning rate (default: 0.01 for adam, 0.05 otherwise).")
    var lr: Float?
    @Option(help: "L2 penalty.")
    var l2: Float = 0
    @Option(help: "Epochs.")
    var epochs = 20
    @Option(help: "Most items WARP samples per positive.")
    var maxSampled = 10
    @Option(help: "Fraction of interactions held out for early stopping (0: none).")
    var validation = 0.0
    @Option(help: "Epochs without improvement before stopping.")
    var patience = 3
    @Option(help: "Worker threads (0: one per processor; 1: repeatable).")
    var threads = 0
    @Option(help: "Random seed.")
    var seed: UInt64 = 1
    @Option(name: .shortAndLong, help: "The model file to write.")
    var output: String
    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        try checkOutput(output, option: "--output")
    }

    func run() throws {
        let progress = Progress(quiet: quiet)
        var options = BilinearOptions()
        options.form = form.value
        options.rank = rank
        options.loss = loss.value
        options.optimizer = optimizer.value
        options.learningRate = lr
        options.l2 = l2
        options.epochs = epochs
        options.maxSampled = maxSampled
        options.validationFraction = validation
        options.patience = patience
        options.threads = threads
        options.seed = seed
        let trainer = try cliErrors { () throws(GloVeError) -> BilinearTrainer in
            let interactions = try Interactions.load(path: train)
            let users = try FeatureMatrix.load(path: userFeatures)
            let items = try FeatureMatrix.load(path: itemFeatures)
            do throws(GloVeError) {
                return try BilinearTrainer(users: users, items: items, interactions: interactions, options: options)
            } catch .invalidArgument(let message) where message.hasPrefix("interaction ") {
                throw .invalidArgument("\(train): \(message) (interactions count from 0; users are the rows of \(userFeatures), items of \(itemFeatures))")
            }
        }
        try cliErrors { () throws(GloVeError) in
            try trainer.train { report in
                let validation = report.validation.map { ", validation \($0.formatted(4))" } ?? ""
                progress.finish("recommend fit: epoch \(report.epoch) loss \(report.loss.formatted(5))\(validation)")
                return true
            }
            try trainer.model.save(path: output)
        }
        progress.finish("recommend fit: saved \(output) (\(trainer.model.itemCount) items) in \(progress.elapsed.formatted(2)) s")
    }
}

/// `glove recommend top`.
struct RecommendTopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Print the top-k items for each user row: user, rank, item, score.",
        discussion: """
            Examples:
              glove recommend top --model m.glbl --user-features new_user.tsv -k 5
              glove recommend top --model m.glbl --user-features users.tsv --exclude train.tsv --users 0,5,7
            """
    )

    @Option(help: "The model file.")
    var model: String
    @Option(help: "User features (row, feature, value).")
    var userFeatures: String
    @Option(help: "Interactions whose items are left out of each user's list.")
    var exclude: String?
    @Option(help: "Comma-separated user rows (default: every row).")
    var users: String?
    @Option(name: .short, help: "Items per user.")
    var k = 10

    func run() throws {
        let lists = try cliErrors { () throws(GloVeError) -> [(Int, [Recommendation])] in
            let model = try BilinearModel.load(path: self.model)
            let features = try FeatureMatrix.load(path: userFeatures, columns: model.userFeatureCount)
            var rows = Array(0..<features.rows)
            if let users {
                rows = []
                for field in users.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let row = Int(field), row >= 0, row < features.rows else {
                        throw .invalidArgument("--users: '\(field)' is not a row of \(userFeatures) (0 ..< \(features.rows))")
                    }
                    rows.append(row)
                }
            }
            var seen: [[Int32]] = []
            if let exclude {
                let byUser = try Interactions.load(path: exclude).itemsByUser(users: features.rows)
                seen = rows.map { byUser[$0] }
            }
            let found = try Recommender(model: model).recommend(users: try features.selecting(rows: rows), k: k, excluding: seen)
            return Array(zip(rows, found))
        }
        var out = ""
        for (user, list) in lists {
            for (rank, r) in list.enumerated() { out += "\(user)\t\(rank + 1)\t\(r.item)\t\(r.score)\n" }
        }
        StandardStreams.write(out)
    }
}

/// `glove recommend evaluate`.
struct RecommendEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Precision, recall and NDCG at k and AUC on held-out interactions.",
        discussion: """
            Each user's training items are removed from its ranking; users without test items are skipped.

            Example:
              glove recommend evaluate --model m.glbl --user-features u.tsv --train train.tsv --test test.tsv -k 10
            """
    )

    @Option(help: "The model file.")
    var model: String
    @Option(help: "User features (row, feature, value).")
    var userFeatures: String
    @Option(help: "Training interactions (removed from the rankings).")
    var train: String
    @Option(help: "Held-out interactions.")
    var test: String
    @Option(name: .short, help: "Cut-off of the top-k metrics.")
    var k = 10

    func run() throws {
        let metrics = try cliErrors { () throws(GloVeError) -> RankingMetrics in
            let model = try BilinearModel.load(path: self.model)
            let trainSet = try Interactions.load(path: train), testSet = try Interactions.load(path: test)
            let rows = max(Int(trainSet.users.max() ?? -1), Int(testSet.users.max() ?? -1)) + 1
            let features = try FeatureMatrix.load(path: userFeatures, columns: model.userFeatureCount)
            let users = features.rows >= rows ? features
                : try features.appending(try FeatureMatrix(rows: rows - features.rows, columns: features.columns, entries: []))
            return try model.evaluate(users: users, train: trainSet, test: testSet, k: k)
        }
        StandardStreams.write("""
            users\t\(metrics.users)
            precision@\(k)\t\(metrics.precision.formatted(4))
            recall@\(k)\t\(metrics.recall.formatted(4))
            ndcg@\(k)\t\(metrics.ndcg.formatted(4))
            auc\t\(metrics.auc.formatted(4))

            """)
    }
}

/// `glove recommend add-items`.
struct RecommendAddItemsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-items",
        abstract: "Append items (feature rows) to a model's catalogue without retraining.",
        discussion: """
            Example:
              glove recommend add-items --model m.glbl --item-features new_items.tsv -o m2.glbl
            """
    )

    @Option(help: "The model file.")
    var model: String
    @Option(help: "Features of the new items (rows from 0).")
    var itemFeatures: String
    @Option(name: .shortAndLong, help: "The model file to write.")
    var output: String

    func validate() throws {
        try checkOutput(output, option: "--output")
    }

    func run() throws {
        try cliErrors { () throws(GloVeError) in
            let model = try BilinearModel.load(path: self.model)
            let items = try FeatureMatrix.load(path: itemFeatures, columns: model.itemFeatureCount)
            try model.adding(items: items).save(path: output)
        }
    }
}

/// The `--form` values.
enum FormArgument: String, ExpressibleByArgument, CaseIterable {
    case factorized, diagonal, full
    var value: BilinearForm {
        switch self {
        case .factorized: return .factorized
        case .diagonal: return .diagonal
        case .full: return .full
        }
    }
}

/// The `--loss` values.
enum LossArgument: String, ExpressibleByArgument, CaseIterable {
    case warp, bpr, squared
    var value: BilinearOptions.Loss {
        switch self {
        case .warp: return .warp
        case .bpr: return .bpr
        case .squared: return .squared
        }
    }
}
