import GloVe
import Foundation
import Testing
import TestSupport

/// Inputs that must be refused with a clear error (found by reviews of the
/// C, Python and CLI surfaces), each leaving files and objects as they were.
@Suite("Refused inputs")
struct RefusalTests {
    private func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "libglove-refusal-\(UUID().uuidString)-\(name)"
    }

    private func isFormatError(_ error: any Error) -> Bool {
        if case .format = error as? GloVeError { return true } else { return false }
    }

    @Test func wordsWithWhitespaceAreRefused() throws {
        for word in ["a b", "a\nb", "a\tb", "a\rb"] {
            #expect(throws: GloVeError.self) { try Vocabulary(words: [(word, 1), ("c", 1)]) }
        }
        #expect(try Vocabulary(words: [("a-b", 1), ("c", 1)]).count == 2)
    }

    @Test func vocabularyFilesWithWhitespaceOrInvalidUTF8WordsAreFormatErrors() throws {
        let path = temporaryPath("vocab.txt")
        defer { removeFile(path) }
        for line in [Array("a\tb 3\n".utf8), [0x63, 0x61, 0x66, 0xE9, 0x20, 0x35, 0x0A]] {
            try writeFile(path, Array("the 9\n".utf8) + line)
            #expect { try Vocabulary.load(path: path) } throws: {
                isFormatError($0) && ($0 as? GloVeError)?.message.contains(":2:") == true
            }
        }
        try writeFile(path, Array("the 9\r\ncafé 5\n".utf8))
        #expect(try Vocabulary.load(path: path).count == 2)
    }

    @Test func textVectorsMustMatchTheirWord2vecHeaderAndMayEndLinesWithCRLF() throws {
        let path = temporaryPath("vectors.txt")
        defer { removeFile(path) }
        for text in ["3 2\nthe 1 2\nof 3 4\n", "2 5\nthe 1 2\nof 3 4\n", "2 0\nthe 1 2\nof 3 4\n"] {
            try writeFile(path, Array(text.utf8))
            #expect(throws: GloVeError.self) { try GloVeModel.importText(path: path) }
        }
        try writeFile(path, Array("2 2\r\nthe 1 2\r\nof 3 4\r\n".utf8))
        let model = try GloVeModel.importText(path: path)
        #expect(model.vocabulary.count == 2 && model.dimension == 2 && model.vector("of") == [3, 4])
    }

    @Test func similarityScoresMustBeFinite() throws {
        let vectors = temporaryPath("vectors.txt"), pairs = temporaryPath("pairs.tsv")
        defer { removeFile(vectors); removeFile(pairs) }
        try writeFile(vectors, Array("the 1 2\nof 3 4\na 5 1\n".utf8))
        let model = try GloVeModel.importText(path: vectors)
        for score in ["nan", "inf", "-inf"] {
            try writeFile(pairs, Array("the of 1\nthe a \(score)\nof a 3\n".utf8))
            #expect { try Evaluation.similarity(model: model, path: pairs) } throws: {
                isFormatError($0) && ($0 as? GloVeError)?.message.contains(":2:") == true
            }
        }
    }

    @Test func destinationsThatAreNotRegularFilesAreNeverReplaced() throws {
        let fifo = temporaryPath("fifo")
        defer { removeFile(fifo) }
        #expect(mkfifo(fifo, 0o600) == 0)
        let vocabulary = try Vocabulary(words: [("the", 3), ("of", 2)])
        #expect { try vocabulary.save(path: fifo) } throws: { ($0 as? GloVeError)?.message.contains("not a regular file") == true }
        var status = stat()
        #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func aNameAtTheFileSystemsLimitStillSavesAtomically() throws {
        let folder = temporaryPath("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/" + String(repeating: "v", count: 255)
        try Vocabulary(words: [("the", 3)]).save(path: path)
        #expect(try Vocabulary.load(path: path).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1)
    }

    @Test func tablesLargerThanTheMachinesMemoryAreRefusedBeforeAllocating() throws {
        let vocabulary = try Vocabulary(words: [("the", 3), ("of", 2)])
        let (rows, columns, values): ([UInt32], [UInt32], [Double]) = ([0], [1], [2])
        let matrix = try rows.withUnsafeBufferPointer { r in try columns.withUnsafeBufferPointer { c in
            try values.withUnsafeBufferPointer { v in try CooccurrenceMatrix(rows: r, columns: c, values: v, dimension: 2, layout: .upperSymmetric) }
        } }
        var options = TrainingOptions()
        options.dimension = 4096
        options.subwordHashes = 16
        options.subwordBuckets = 1 << 24
        #expect { try Trainer(matrix: matrix, vocabulary: vocabulary, options: options) } throws: {
            if case .outOfMemory = $0 as? GloVeError { return true } else { return false }
        }
    }

    @Test func anEmptyMatrixRoundTripsThroughTheNativeFormat() throws {
        let path = temporaryPath("empty.glc")
        defer { removeFile(path) }
        let none: [UInt32] = [], noValues: [Double] = []
        let matrix = try none.withUnsafeBufferPointer { r in try noValues.withUnsafeBufferPointer { v in
            try CooccurrenceMatrix(rows: r, columns: r, values: v, dimension: 0, layout: .upperSymmetric)
        } }
        try matrix.save(path: path, format: .native)
        let loaded = try CooccurrenceMatrix.load(path: path, format: .native)
        #expect(loaded.dimension == 0 && loaded.storedCount == 0)
    }

    @Test func aDiagonalFormWiderThanMemoryIsRefused() throws {
        let items = try FeatureMatrix(rows: 1, columns: 1 << 29, entries: [(0, 5, 1)])
        #expect { try BilinearModel(form: .diagonal, userFeatures: 1 << 29, items: items) } throws: {
            if case .outOfMemory = $0 as? GloVeError { return true } else { return false }
        }
    }
}
