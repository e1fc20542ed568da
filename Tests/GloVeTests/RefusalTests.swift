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

    @Test func wordsWithLineBreaksAreRefusedAndWordsWithSpacesCannotBeExportedAsText() throws {
        for word in ["a\nb", "a\rb"] {
            #expect(throws: GloVeError.self) { try Vocabulary(words: [(word, 1), ("c", 1)]) }
        }
        let spaced = try Vocabulary(words: [("new york", 2), ("c", 1)])
        let model = try GloVeModel(vocabulary: spaced, dimension: 2, vectors: [1, 2, 3, 4])
        let path = temporaryPath("spaced")
        defer { removeFile(path) }
        for format in VectorFormat.allCases {
            #expect { try model.export(path: path, format: format) } throws: { ($0 as? GloVeError)?.message.contains("whitespace") == true }
            #expect(access(path, F_OK) != 0)
        }
        try model.save(path: path)
        #expect(try GloVeModel.load(path: path).vocabulary[0] == "new york")
    }

    @Test func vocabularyFilesKeepTheirBytesThroughModelFiles() throws {
        // A Stanford vocab.txt of a Latin-1 corpus: "café" and "cafè" differ only in bytes that are not UTF-8.
        let vocabularyPath = temporaryPath("vocab.txt"), modelPath = temporaryPath("model")
        defer { removeFile(vocabularyPath); removeFile(modelPath) }
        let latin1: [[UInt8]] = [[0x63, 0x61, 0x66, 0xE9], [0x63, 0x61, 0x66, 0xE8], Array("a\tb".utf8)]
        try writeFile(vocabularyPath, latin1.flatMap { $0 + Array(" 5\n".utf8) })
        let vocabulary = try Vocabulary.load(path: vocabularyPath)
        #expect(vocabulary.count == 3)
        let model = try GloVeModel(vocabulary: vocabulary, dimension: 2, vectors: [1, 2, 3, 4, 5, 6])
        try model.save(path: modelPath)
        let loaded = try GloVeModel.load(path: modelPath)
        for (id, word) in latin1.enumerated() {
            #expect(loaded.vocabulary.withWordBytes(id) { Array($0) } == word)
            #expect(word.withUnsafeBytes { loaded.vocabulary.id(bytes: $0) } == id)
        }
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

    @Test func aSymbolicLinkStaysALinkAndItsFileIsReplaced() throws {
        let target = temporaryPath("target.txt"), link = temporaryPath("link.txt")
        defer { removeFile(target); removeFile(link) }
        try writeFile(target, Array("old 1\n".utf8))
        #expect(symlink(target, link) == 0)
        try Vocabulary(words: [("new", 2)]).save(path: link)
        var status = stat()
        #expect(lstat(link, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK)
        #expect(try readFile(target) == Array("new 2\n".utf8))
    }

    @Test func evaluationFilesMayEndLinesWithCRLF() throws {
        let vectors = temporaryPath("vectors.txt"), pairs = temporaryPath("pairs.tsv"), questions = temporaryPath("q.txt")
        defer { removeFile(vectors); removeFile(pairs); removeFile(questions) }
        try writeFile(vectors, Array("a 1 0\nb 0 1\nc 1 1\nd 2 1\n".utf8))
        let model = try GloVeModel.importText(path: vectors)
        try writeFile(pairs, Array("a b 1\r\na c 2\r\nb d 3\r\n".utf8))
        #expect(try Evaluation.similarity(model: model, path: pairs).covered == 3)
        try writeFile(questions, Array(": s\r\na b c d\r\nb a c d\r\n".utf8))
        #expect(try Evaluation.analogies(model: model, path: questions).covered == 2)
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
