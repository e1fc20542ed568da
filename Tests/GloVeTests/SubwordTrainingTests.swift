import GloVe
import Foundation
import Testing
import TestSupport

@Suite("Spelling-aware vectors")
struct SubwordTrainingTests {
    private let setup = TrainingTests()

    private func options(_ hashes: Int, epochs: Int = 4) -> TrainingOptions {
        var o = setup.options(.paper)
        o.subwordHashes = hashes
        o.subwordBuckets = 64
        o.epochs = epochs
        return o
    }

    /// The bucket rows of `word`: the full scheme's minima under seeds 0 ..< k, modulo the bucket count.
    private func bucketRows(_ word: String, hashes: Int, buckets: UInt32, words: Int) throws -> [Int] {
        try MinHash(scheme: .full, bucketCount: buckets, seed: 0, hashCount: hashes).signature(word).map { words + Int($0 % buckets) }
    }

    private func sum(_ rows: [ArraySlice<Float>]) -> [Float] {
        var total = [Float](repeating: 0, count: rows[0].count)
        for row in rows { for (k, v) in row.enumerated() { total[k] += v } }
        return total
    }

    @Test func aWordSumsItsOwnRowAndItsBucketRows() throws {
        // Before training, table W holds the same random rows for the words
        // with and without buckets (they are drawn first): with W only saved,
        // a word's vector is its row of the plain model plus its bucket rows.
        let (vocabulary, matrix) = try setup.data()
        var plain = options(0, epochs: 0), spelt = options(2, epochs: 0)
        plain.sumWordAndContext = false
        spelt.sumWordAndContext = false
        let a = try Trainer(matrix: matrix, vocabulary: vocabulary, options: plain).model()
        let b = try Trainer(matrix: matrix, vocabulary: vocabulary, options: spelt).model()
        #expect(b.rowCount == vocabulary.count + 64 && b.subwordHashes == 2)
        for id in [0, 1, vocabulary.count - 1] {
            let buckets = try bucketRows(vocabulary[id], hashes: 2, buckets: 64, words: vocabulary.count)
            #expect(Array(b.vector(row: id)) == sum([a.vector(row: id)] + buckets.map { b.vector(row: $0) }))
        }
    }

    @Test func trainingIsDeterministicAndUnseenWordsSumTheirBuckets() throws {
        let (vocabulary, matrix) = try setup.data()
        let first = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options(2))
        let again = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options(2))
        try first.train()
        try again.train()
        let model = first.model()
        #expect(model.vectors == again.model().vectors)
        #expect(first.lossHistory.last! < first.lossHistory.first!)
        let unseen = "unseenword"
        #expect(vocabulary.id(of: unseen) == nil && model.row(of: unseen) == nil)
        let buckets = try bucketRows(unseen, hashes: 2, buckets: 64, words: vocabulary.count)
        #expect(model.vector(unseen) == sum(buckets.map { model.vector(row: $0) }))
        let found = try #require(NeighborIndex(model: model).neighbors(of: unseen, k: 3))
        #expect(!found.inVocabulary && found.neighbors.count == 3)

        let path = NSTemporaryDirectory() + "libglove-subword-\(UUID().uuidString).glove"
        defer { removeFile(path) }
        try model.save(path: path)
        let back = try GloVeModel.load(path: path)
        #expect(back.subwordHashes == 2 && back.vectors == model.vectors && back.vector(unseen) == model.vector(unseen))
        var bytes = try readFile(path)
        bytes[60] = 17  // 17 subword hashes, out of range, under a valid checksum
        var checksum: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a of everything before the last 8 bytes
        for byte in bytes.dropLast(8) { checksum = (checksum ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange((bytes.count - 8)..., with: $0) }
        try writeFile(path, bytes)
        #expect(throws: GloVeError.format("\(path): 17 subword hashes need 1...16 hashes, the full min-hash scheme and bucket rows")) {
            try GloVeModel.load(path: path)
        }
    }

    @Test func checkpointsResumeOnlyWithTheSameSubwordSettings() throws {
        let (vocabulary, matrix) = try setup.data()
        let path = NSTemporaryDirectory() + "libglove-subword-\(UUID().uuidString).ckpt"
        defer { removeFile(path) }
        let whole = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options(2))
        try whole.train()
        let first = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options(2))
        try first.train(epochs: 2)
        try first.saveCheckpoint(path: path)
        for other in [options(3), options(0)] {
            let refused = try Trainer(matrix: matrix, vocabulary: vocabulary, options: other)
            #expect(throws: GloVeError.self) { try refused.resume(fromCheckpoint: path) }
        }
        let second = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options(2))
        try second.resume(fromCheckpoint: path)
        try second.train(epochs: 2)
        #expect(second.model().vectors == whole.model().vectors)
    }

    @Test func badSettingsAreRefused() throws {
        let (vocabulary, matrix) = try setup.data()
        #expect(throws: GloVeError.self) { try Trainer(matrix: matrix, vocabulary: vocabulary, options: options(17)) }
        var zeroBuckets = options(2)
        zeroBuckets.subwordBuckets = 0
        #expect(throws: GloVeError.self) { try Trainer(matrix: matrix, vocabulary: vocabulary, options: zeroBuckets) }
        // A matrix with bucket rows (out-of-vocabulary tokens counted) is refused.
        var counting = CooccurrenceOptions()
        counting.oov = .bucket
        let c = try #require(TrainingTests.basic)
        let withBuckets = try CooccurrenceCounter.count(paths: [c.corpusPath], vocabulary: vocabulary, options: counting)
        #expect(throws: GloVeError.self) { try Trainer(matrix: withBuckets, vocabulary: vocabulary, options: options(2)) }
    }
}
