// The main job through libglove's Swift API.
//
//   swift run GloVeExample CORPUS.txt BILINEAR_DIR
//
// CORPUS.txt is any text file (one document per line); BILINEAR_DIR holds
// users.tsv, items.tsv and train.tsv as in Tests/vectors/bilinear.
import GloVe

@main
struct GloVeExample {
    static func main() async {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            print("usage: GloVeExample CORPUS.txt BILINEAR_DIR")
            return
        }
        do {
            try await embeddings(corpus: arguments[1])
            try recommendations(folder: arguments[2])
        } catch {
            print("error: \(error)")
        }
    }

    /// Counts, trains and queries word vectors.
    static func embeddings(corpus: String) async throws(GloVeError) {
        var vocabularyOptions = VocabularyOptions()
        vocabularyOptions.minCount = 2
        let (vocabulary, matrix) = try CooccurrenceCounter.countCorpus(paths: [corpus], vocabularyOptions: vocabularyOptions)
        print("vocabulary: \(vocabulary.count) words; co-occurrences: \(matrix.nonzeroCount) entries")

        var options = TrainingOptions()
        options.dimension = 16
        options.epochs = 5
        options.threads = 1
        let trainer = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options)
        // Cancelling the surrounding task would stop training after an epoch.
        try await trainer.train { print("epoch \($0.epoch): loss \($0.loss)") }

        let index = NeighborIndex(model: trainer.model())
        let word = vocabulary[0]  // a Vocabulary is a collection of words, most frequent first
        if let (neighbors, _) = index.neighbors(of: word, k: 3) {
            print("neighbours of \(word): \(neighbors.map(\.word).joined(separator: ", "))")
        }
    }

    /// Trains a recommender and serves a user it has never seen.
    static func recommendations(folder: String) throws(GloVeError) {
        let users = try FeatureMatrix.load(path: folder + "/users.tsv")
        let items = try FeatureMatrix.load(path: folder + "/items.tsv")
        let train = try Interactions.load(path: folder + "/train.tsv")
        var options = BilinearOptions()
        options.rank = 4
        options.epochs = 10
        options.threads = 1
        let model = try BilinearTrainer.fit(users: users, items: items, interactions: train, options: options)
        let newcomer = try FeatureMatrix(dense: [0.5, 0, 0.9, 0], rows: 1, columns: users.columns)
        let top = try Recommender(model: model).recommend(users: newcomer, k: 3)[0]
        print("new user's top items: \(top.map { String($0.item) }.joined(separator: ", "))")
    }
}
