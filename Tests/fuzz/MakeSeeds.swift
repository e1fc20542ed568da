// Writes the seed corpora of Tests/fuzz/corpus/ that the library itself can
// make (models, co-occurrence files, vocabularies, bilinear models, token and
// min-hash inputs) plus hand-made edge cases. Run by Tests/fuzz/make_seeds.sh,
// which adds the gzip/bzip2 and TSV seeds; not part of the fuzzer binary.
// Every seed stays under 4 KB (the fuzzer's -max_len).

#if canImport(Glibc)
import Glibc
#endif

let root = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "Tests/fuzz/corpus"
let scratch = "/tmp/glove-make-seeds-\(getpid())"

func mkdirs(_ path: String) {
    var partial = ""
    for part in path.split(separator: "/", omittingEmptySubsequences: false) {
        partial += (partial.isEmpty && path.hasPrefix("/") ? "" : (partial.isEmpty ? "" : "/")) + part
        if !partial.isEmpty { mkdir(partial, 0o755) }
    }
}

func readFile(_ path: String) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    precondition(fd >= 0, "cannot open \(path)")
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { return out }
        out += chunk[0..<n]
    }
}

func seed(_ target: String, _ name: String, _ bytes: [UInt8]) {
    precondition(bytes.count <= 4096, "\(target)/\(name) is \(bytes.count) bytes, over 4 KB")
    mkdirs("\(root)/\(target)")
    let path = "\(root)/\(target)/\(name)"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot create \(path)")
    bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

func seed(_ target: String, _ name: String, text: String) { seed(target, name, Array(text.utf8)) }

/// The bytes a library call writes to a file.
func saved(_ body: (String) throws(GloVeError) -> Void) -> [UInt8] {
    do throws(GloVeError) {
        try body(scratch)
    } catch {
        fatalError("seed generation failed: \(error)")
    }
    defer { unlink(scratch) }
    return readFile(scratch)
}

func must<T>(_ body: () throws(GloVeError) -> T) -> T {
    do throws(GloVeError) { return try body() } catch { fatalError("seed generation failed: \(error)") }
}

nonisolated(unsafe) var random = SplitMix64(seed: 42)
func floats(_ n: Int) -> [Float] { (0..<n).map { _ in Float(Int(random.next() % 2001) - 1000) / 1000 } }

@main
struct MakeSeeds {
    static func main() {
        // --- Models ---
        let words: [(word: String, count: UInt64)] = [
            ("the", 50), ("of", 40), ("and", 30), ("democracy", 9), ("vote", 8), ("voter", 7),
            ("élection", 5), ("straße", 4), ("日本", 3), ("x", 2), ("a-b", 1), ("zz", 0),
        ]
        let vocabulary = must { () throws(GloVeError) in try Vocabulary(words: words) }
        let small = must { () throws(GloVeError) in
            try GloVeModel(vocabulary: vocabulary, dimension: 4, vectors: floats(12 * 4), biases: Optional(floats(12)),
                           objective: .seed, lossHistory: [0.5, 0.25, 0.125])
        }
        seed("model", "words12-dim4.glmd", saved { (p) throws(GloVeError) in try small.save(path: p) })
        let bucketHash = must { () throws(GloVeError) in try MinHash(scheme: .full, bucketCount: 4, seed: 7, hashCount: 8) }
        let bucketVocabulary = must { () throws(GloVeError) in try Vocabulary(words: Array(words.prefix(5)), minHash: bucketHash) }
        let buckets = must { () throws(GloVeError) in
            try GloVeModel(vocabulary: bucketVocabulary, dimension: 3, vectors: floats(9 * 3), biases: floats(9), objective: .paper)
        }
        seed("model", "words5-buckets4-dim3.glmd", saved { (p) throws(GloVeError) in try buckets.save(path: p) })
        let spelt = must { () throws(GloVeError) in
            try GloVeModel(vocabulary: bucketVocabulary, dimension: 3, vectors: floats(9 * 3), biases: floats(9), objective: .paper,
                           subwordHashes: 2)
        }
        seed("model", "words5-buckets4-subwords2-dim3.glmd", saved { (p) throws(GloVeError) in try spelt.save(path: p) })
        let one = must { () throws(GloVeError) in
            try GloVeModel(vocabulary: try Vocabulary(words: [("solo", 1)]), dimension: 1, vectors: [0.5])
        }
        seed("model", "one-word-dim1.glmd", saved { (p) throws(GloVeError) in try one.save(path: p) })
        let empty = must { () throws(GloVeError) in
            try GloVeModel(vocabulary: try Vocabulary(words: []), dimension: 2, vectors: [])
        }
        seed("model", "empty-dim2.glmd", saved { (p) throws(GloVeError) in try empty.save(path: p) })
        let longWord = String(repeating: "long", count: 60)
        let long = must { () throws(GloVeError) in
            try GloVeModel(vocabulary: try Vocabulary(words: [(longWord, 3), ("short", 2)]), dimension: 2, vectors: floats(4))
        }
        seed("model", "long-word.glmd", saved { (p) throws(GloVeError) in try long.save(path: p) })
        seed("model", "magic-only", Array("GLOVEMDL".utf8))

        // --- Word-vector text ---
        seed("vectors_text", "glove.txt", saved { (p) throws(GloVeError) in try small.export(path: p, format: .gloveText) })
        seed("vectors_text", "word2vec.txt", saved { (p) throws(GloVeError) in try one.export(path: p, format: .word2vecText) })
        seed("vectors_text", "edge.txt", text: "2 3\nа 1e-3 -0 3.5\n\nb\t1 2 3\nc 1 2\n")
        seed("vectors_text", "nan.txt", text: "x nan inf\ny 1 2\n")

        // --- Co-occurrence: Stanford records (first byte picks the dimension argument) ---
        func stanford(_ records: [(Int32, Int32, Double)]) -> [UInt8] {
            var b: [UInt8] = []
            for (i, j, x) in records {
                withUnsafeBytes(of: i.littleEndian) { b += $0 }
                withUnsafeBytes(of: j.littleEndian) { b += $0 }
                withUnsafeBytes(of: x.bitPattern.littleEndian) { b += $0 }
            }
            return b
        }
        let records: [(Int32, Int32, Double)] = [(1, 2, 1.5), (2, 1, 1.5), (1, 1, 0.25), (3, 7, 2), (3, 7, 1), (7, 3, 3)]
        seed("cooc_stanford", "records-dim0", [0] + stanford(records))
        seed("cooc_stanford", "records-dim64", [5] + stanford(records))
        seed("cooc_stanford", "records-dim2-too-small", [3] + stanford(records))
        seed("cooc_stanford", "empty", [0])
        seed("cooc_stanford", "extremes", [7] + stanford([(Int32.max, 1, 1e308), (1, Int32.min, -1), (0, 5, .nan)]))
        seed("cooc_stanford", "truncated", [0] + Array(stanford(records).prefix(40)))

        // --- Co-occurrence: native files ---
        let ids: [Int32] = [0, 1, 2, 3, 1, 2, -1, 4, 4, 5, 0, -1, 2, 6, 7, 0]
        let symmetric = must { () throws(GloVeError) in
            try ids.withUnsafeBufferPointer { (b) throws(GloVeError) in
                var options = CooccurrenceOptions()
                options.window = 3
                return try CooccurrenceCounter.count(tokenIDs: b, dimension: 8, options: options)
            }
        }
        seed("cooc_native", "symmetric-dim8.glco", saved { (p) throws(GloVeError) in try symmetric.save(path: p, format: .native) })
        let stanfordPath = scratch + ".stanford"
        _ = stanford(records).withUnsafeBytes { raw in
            let fd = open(stanfordPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            defer { close(fd) }
            return write(fd, raw.baseAddress, raw.count)
        }
        let full = must { () throws(GloVeError) in try CooccurrenceMatrix.load(path: stanfordPath, format: .stanford) }
        unlink(stanfordPath)
        seed("cooc_native", "full-dim7.glco", saved { (p) throws(GloVeError) in try full.save(path: p, format: .native) })
        let none = must { () throws(GloVeError) in
            try [Int32]().withUnsafeBufferPointer { (b) throws(GloVeError) in try CooccurrenceCounter.count(tokenIDs: b, dimension: 1) }
        }
        seed("cooc_native", "empty-dim1.glco", saved { (p) throws(GloVeError) in try none.save(path: p, format: .native) })
        // The same matrices in Stanford format, as more Stanford seeds.
        seed("cooc_stanford", "symmetric-dim8", [0] + saved { (p) throws(GloVeError) in try symmetric.save(path: p, format: .stanford) })

        // --- Vocabularies ---
        seed("vocab", "vocab12.txt", saved { (p) throws(GloVeError) in try vocabulary.save(path: p) })
        seed("vocab", "crlf-blank.txt", text: "alpha 3\r\n\r\nbeta 2\n\ngamma 1")
        seed("vocab", "edge.txt", text: "a b 5\n\u{1}\t 0\nbig 18446744073709551615\nover 18446744073709551616\n")
        seed("vocab", "duplicate.txt", text: "x 1\ny 2\nx 3\n")
        seed("vocab", "long-word.txt", text: String(repeating: "w", count: 1100) + " 1\n" + String(repeating: "v", count: 1024) + " 2\n")
        seed("vocab", "invalid-utf8.txt", [0xC3, 0x28, 0x20, 0x31, 0x0A, 0xFF, 0xFE, 0x20, 0x32, 0x0A, 0xE2, 0x82, 0x20, 0x33, 0x0A])

        // --- Tokenizer (first byte: bit 0 mode, the rest the block size) ---
        let prose = "The Quick brown fox — jumps over the lazy DOG.\nÉLAN vital, Straße, İstanbul; ǅemal ﬁnds 42 ½ rides.\r\n日本語のテキスト、中文。 한국어!\ne\u{301}t\u{e9}\u{200b}zero\u{a0}nbsp\u{2028}sep\u{1c}x\n"
        seed("tokenizer", "prose-text", [0] + Array(prose.utf8))
        seed("tokenizer", "prose-pretokenized", [1] + Array(prose.utf8))
        seed("tokenizer", "long-line-small-blocks", [0] + Array((String(repeating: "word ", count: 200) + String(repeating: "é", count: 300)).utf8))
        seed("tokenizer", "long-token-pretokenized", [3] + Array(String(repeating: "Ab", count: 700).utf8) + [0x0A, 0x61])
        seed("tokenizer", "invalid-utf8", [1, 0x61, 0xC3, 0x28, 0x62, 0x20, 0xF0, 0x9F, 0x98, 0x20, 0xED, 0xA0, 0x80, 0x41, 0x0A, 0xF4, 0x90, 0x80, 0x80, 0xC0, 0xAF])
        seed("tokenizer", "invalid-utf8-text", [0, 0x61, 0xC3, 0x28, 0x62, 0x20, 0xF0, 0x9F, 0x98, 0x20, 0xED, 0xA0, 0x80, 0x41, 0x0A, 0xF4, 0x90, 0x80, 0x80, 0xC0, 0xAF])
        seed("tokenizer", "no-final-newline", [0] + Array("last line without newline ÀB".utf8))
        seed("tokenizer", "empty", [0])

        // --- Min-hash: u32 seed, u32 buckets, u8 hashes - 1, u8 delimiter, text ---
        func minhash(_ s: UInt32, _ buckets: UInt32, _ hashes: UInt8, _ delimiter: UInt8, _ text: [UInt8]) -> [UInt8] {
            var b: [UInt8] = []
            withUnsafeBytes(of: s.littleEndian) { b += $0 }
            withUnsafeBytes(of: buckets.littleEndian) { b += $0 }
            return b + [hashes, delimiter] + text
        }
        seed("minhash", "words-newline", minhash(0, 65536, 63, 0x0A, Array("democracy\ndemocracies\nvote\n\nx\nélection\n日本語のテキスト".utf8)))
        seed("minhash", "tsv-one-bucket", minhash(12345, 1, 0, 0x09, Array("a\tab\tabc\tabcd\tabcde\tabcdefghijklmnop".utf8)))
        seed("minhash", "invalid-utf8", minhash(.max, .max, 255, 0x20, [0xFF, 0x20, 0xC3, 0x20, 0xE2, 0x82, 0x20, 0xF0, 0x9F, 0x98, 0x80, 0x80, 0x80, 0x80, 0x80]))
        seed("minhash", "nul-delimiter", minhash(1, 1000, 7, 0x00, [0x61, 0x00, 0x00, 0x62, 0x63, 0x64, 0x65, 0x66]))
        seed("minhash", "empty-text", minhash(0, 7, 0, 0x0A, []))

        // --- Checkpoints of CheckpointTrainers (after 0, 1 and 3 epochs; seed and paper) ---
        for objective in [TrainingOptions.Objective.seed, .paper] {
            let trainer = must { () throws(GloVeError) in try CheckpointTrainers.make(objective) }
            for epochs in [0, 1, 2] {
                must { () throws(GloVeError) in try trainer.train(epochs: epochs) }
                seed("checkpoint", "\(objective)-epoch\(trainer.completedEpochs).ckpt",
                     saved { (p) throws(GloVeError) in try trainer.saveCheckpoint(path: p) })
            }
        }

        // --- Bilinear models (untrained: sizes and structure are what matters) ---
        let itemFeatures = must { () throws(GloVeError) in
            try FeatureMatrix(rows: 4, columns: 3, entries: [(0, 0, 1), (0, 2, 0.5), (1, 1, 1), (2, 0, 0.25), (2, 1, 0.75), (3, 2, 2)])
        }
        for (form, name, users, rank) in [(BilinearForm.factorized, "factorized-rank2", 5, 2), (.diagonal, "diagonal", 3, 0), (.full, "full", 2, 0)] {
            let model = must { () throws(GloVeError) in
                try BilinearModel(form: form, userFeatures: users, items: itemFeatures, rank: max(rank, 1), seed: 3)
            }
            seed("bilinear", "\(name).glbl", saved { (p) throws(GloVeError) in try model.save(path: p) })
        }
        let identity = must { () throws(GloVeError) in
            try BilinearModel(form: .factorized, userFeatures: 6, items: FeatureMatrix.identity(5), rank: 3, seed: 9)
        }
        seed("bilinear", "factorized-identity.glbl", saved { (p) throws(GloVeError) in try identity.save(path: p) })
        let noItems = must { () throws(GloVeError) in
            try BilinearModel(form: .diagonal, userFeatures: 2, items: try FeatureMatrix(rows: 0, columns: 2, entries: []))
        }
        seed("bilinear", "diagonal-no-items.glbl", saved { (p) throws(GloVeError) in try noItems.save(path: p) })
    }
}
