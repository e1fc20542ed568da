import ArgumentParser
import GloVe

/// `glove train`: fit GloVe vectors to a co-occurrence matrix.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train GloVe vectors on a co-occurrence matrix and save the model.",
        discussion: """
            Objectives: seed (the reference pipeline's: one table, log10(1+X) targets,
            Adam 0.01, batches of 65,536) or paper (Pennington et al. / Stanford GloVe:
            word and context tables, ln X targets, AdaGrad 0.05, per-entry updates).
            With --threads 1 and a --seed the result is bit-identical across runs; so it is
            with a given --threads N and batches of 8,192 or more without --subword-hashes,
            which the threads train together.
            With --checkpoint, the parameters and optimizer state are saved to that file
            every --checkpoint-every epochs and at the end; running the same command again
            after a stop or a crash resumes from it (delete it to start over).
            With --stream, neither the matrix nor its entries are held in memory: the
            entries are shuffled once into a temporary file and read back in blocks each
            epoch, so memory is about the parameters and optimizer state.
            With --subword-hashes K, words spelt alike share rows (their K min-hash
            buckets) and out-of-vocabulary words get vectors from their buckets; count the
            matrix with the default --oov drop.

            Examples:
              glove train --vocab vocab.txt --cooc cooc.glc --dim 50 --epochs 15 -o model.glove
              glove train --vocab vocab.txt --cooc cooc.bin --cooc-format stanford --objective paper --x-max 10 -o m.glove
              glove train --vocab vocab.txt --cooc big.glc --stream --temp-dir /var/tmp -o model.glove
            """
    )

    @Option(help: "The vocab.txt file the matrix was counted with.")
    var vocab: String

    @Option(help: "The co-occurrence matrix.")
    var cooc: String

    @Option(help: "Format of --cooc: native or stanford.")
    var coocFormat: FormatArgument = .native

    @Option(help: "Vector dimension.")
    var dim = 50

    @Option(help: "Epochs.")
    var epochs = 15

    @Option(help: "seed or paper.")
    var objective: ObjectiveArgument = .seed

    @Option(help: "adagrad, adam or sgd (default: adam for seed, adagrad for paper).")
    var optimizer: OptimizerArgument?

    @Option(help: "Learning rate (default: 0.01 for adam, 0.05 otherwise, 0.1/K with --subword-hashes K > 2).")
    var lr: Float?

    @Option(help: "Entries per mini-batch (default: 65536 for adam, 1 otherwise).")
    var batchSize: Int?

    @Flag(help: "Decay the learning rate linearly to 0.")
    var linearDecay = false

    @Option(help: "Weighting cap x_max (paper objective).")
    var xMax: Float = 100

    @Option(help: "Weighting exponent alpha.")
    var alpha: Float = 0.75

    @Option(help: "Worker threads (0: one per processor; 1, or N with batches of 8,192 or more and no subword hashes: deterministic).")
    var threads = 0

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "A checkpoint file to resume from if it exists and to keep up to date.")
    var checkpoint: String?

    @Option(help: "Epochs between checkpoints.")
    var checkpointEvery = 1

    @Option(help: "Spelling-aware vectors: each word sums its own row and the rows of its K min-hash buckets (0: off).")
    var subwordHashes = 0

    @Option(help: "Bucket rows shared by the words' spellings (with --subword-hashes).")
    var subwordBuckets: UInt32 = 1 << 17

    @Flag(help: "Stream the entries from a shuffled temporary file instead of holding them in memory.")
    var stream = false

    @Option(help: "With --stream: memory for shuffling the entries once, in MiB.")
    var memoryLimit = 16

    @Option(help: "With --stream: folder for the temporary files (default: $TMPDIR or /tmp).")
    var tempDir: String?

    @Option(name: .shortAndLong, help: "The model file to write.")
    var output: String

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        try checkOutput(output, option: "--output")
        if let checkpoint {
            try checkOutput(checkpoint, option: "--checkpoint")
            try checkDistinct(checkpoint, "--checkpoint", output, "--output")
        }
    }

    func run() throws {
        let progress = Progress(quiet: quiet)
        var options = TrainingOptions()
        options.objective = objective.value
        options.dimension = dim
        options.epochs = epochs
        options.optimizer = optimizer?.value
        options.learningRate = lr
        options.batchSize = batchSize
        options.schedule = linearDecay ? .linear : .constant
        options.xMax = xMax
        options.alpha = alpha
        options.threads = threads
        options.seed = seed
        options.subwordHashes = subwordHashes
        options.subwordBuckets = subwordBuckets
        let trainer = try cliErrors { () throws(GloVeError) -> Trainer in
            let vocabulary = try Vocabulary.load(path: vocab)
            if stream {
                guard memoryLimit >= 1 && memoryLimit <= 1 << 30 else {
                    throw .invalidArgument("--memory-limit must be in 1...\(1 << 30) MiB (got \(memoryLimit))")
                }
                return try Trainer(streamingFrom: cooc, format: coocFormat.value, vocabulary: vocabulary, options: options,
                                   memoryLimit: memoryLimit << 20, temporaryDirectory: tempDir)
            }
            let matrix = try CooccurrenceMatrix.load(path: cooc, format: coocFormat.value,
                                                     dimension: coocFormat == .stanford ? vocabulary.count : 0)
            return try Trainer(matrix: matrix, vocabulary: vocabulary, options: options)
        }
        progress.finish("train: \(trainer.entryCount) entries, \(options.objective) objective, \(options.resolvedOptimizer), dim \(dim)")
        try cliErrors { () throws(GloVeError) in
            let report = { (report: TrainingProgress) -> Bool in
                progress.finish("train: epoch \(report.epoch)/\(epochs) loss \(report.loss.formatted(6)), \(Int(report.entriesPerSecond)) entries/s")
                return true
            }
            if let checkpoint {
                try trainer.train(checkpoint: checkpoint, every: checkpointEvery, progress: report)
                if trainer.completedEpochs > epochs {
                    StandardStreams.error("glove: note: \(checkpoint) holds \(trainer.completedEpochs) epochs, more than --epochs \(epochs); the model keeps them all")
                }
            } else {
                try trainer.train(progress: report)
            }
            try trainer.model().save(path: output)
        }
        progress.finish("train: saved \(output) in \(progress.elapsed.formatted(2)) s")
    }
}

/// The `--objective` values.
enum ObjectiveArgument: String, ExpressibleByArgument, CaseIterable {
    case seed, paper
    var value: TrainingOptions.Objective { self == .seed ? .seed : .paper }
}

/// The `--optimizer` values.
enum OptimizerArgument: String, ExpressibleByArgument, CaseIterable {
    case adagrad, adam, sgd
    var value: TrainingOptions.Optimizer {
        switch self {
        case .adagrad: return .adagrad
        case .adam: return .adam
        case .sgd: return .sgd
        }
    }
}
