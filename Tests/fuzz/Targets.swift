// libFuzzer targets for the parts of libglove that read untrusted bytes.
//
// Built by scripts/fuzz.sh in ONE swiftc invocation together with every file
// of Sources/GloVe (so `internal` APIs such as Tokenizer and BlockReader are
// reachable), with -sanitize=fuzzer,address. One binary serves every target;
// the environment variable GLOVE_FUZZ_TARGET picks one (read once):
//
//   GLOVE_FUZZ_TARGET=model .build-fuzz/glove-fuzz CORPUS_DIR   # fuzz
//   GLOVE_FUZZ_TARGET=model .build-fuzz/glove-fuzz FILE...      # replay inputs
//
// A thrown GloVeError is a correct answer to a bad input; only crashes
// (traps, sanitizer reports, timeouts, huge allocations) are failures. After a
// successful load each target also uses the value a little (lookups, queries,
// conversions), because a loader that accepts an inconsistent file moves the
// crash to the first query. Checks marked "invariant" trap on purpose when a
// documented property does not hold.
//
// File inputs are written to one temporary file per process and the public
// loader is called on it. Harness fix-ups let mutated inputs get past the
// integrity checks to the parsing behind them (each is idempotent, so a saved
// crash input replays as is): the trailing FNV-1a checksum of the model,
// native co-occurrence and bilinear formats is recomputed; the model's
// vocabulary byte count, the native file's entry count and the bilinear
// file's item entry count are set from the file size when that is possible.
// The gzip/bzip2 targets stop after 4 MiB of output: decompression bombs are
// valid input, but reading them to the end only spends fuzzing time.

#if canImport(Glibc)
import Glibc
#endif

// MARK: - Target selection

enum FuzzTarget: String, CaseIterable {
    case model                      // GloVeModel.load(path:)
    case vectorsText = "vectors_text"  // GloVeModel.importText(path:)
    case coocStanford = "cooc_stanford"  // CooccurrenceMatrix.load(path:format: .stanford)
    case coocNative = "cooc_native"      // CooccurrenceMatrix.load(path:format: .native)
    case vocab                      // Vocabulary.load(path:)
    case tokenizer                  // BlockReader + Tokenizer, text and pretokenized
    case minhash                    // MinHash compat/full buckets, delimited buckets, signatures
    case bilinear                   // BilinearModel.load(path:)
    case features                   // FeatureMatrix.load(path:)
    case interactions               // Interactions.load(path:)
    case checkpoint                 // Trainer.resume(fromCheckpoint:) into CheckpointTrainers
    case gzip                       // .gz through BlockReader (Inflate.swift)
    case bzip2                      // .bz2 through BlockReader (Bunzip2.swift)
}

let selectedTarget: FuzzTarget = {
    guard let raw = getenv("GLOVE_FUZZ_TARGET").map({ String(cString: $0) }),
          let target = FuzzTarget(rawValue: raw) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")
        var message = "glove-fuzz: set GLOVE_FUZZ_TARGET to one of: \(names)\n"
        message.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(2)
    }
    return target
}()

/// The temporary file of this process; the extension matters for gzip/bzip2.
let scratchPath: String = {
    let folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    let suffix: String
    switch selectedTarget {
    case .gzip: suffix = ".gz"
    case .bzip2: suffix = ".bz2"
    default: suffix = ".bin"
    }
    atexit { unlink(scratchPath) }
    return "\(folder)/glove-fuzz-\(getpid())\(suffix)"
}()

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    _ = selectedTarget  // fail fast on a missing or unknown target
    _ = scratchPath
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch selectedTarget {
    case .model: fuzzModel(bytes)
    case .vectorsText: fuzzVectorsText(bytes)
    case .coocStanford: fuzzStanford(bytes)
    case .coocNative: fuzzNative(bytes)
    case .vocab: fuzzVocabulary(bytes)
    case .tokenizer: fuzzTokenizer(bytes)
    case .minhash: fuzzMinHash(bytes)
    case .bilinear: fuzzBilinear(bytes)
    case .features: fuzzFeatures(bytes)
    case .interactions: fuzzInteractions(bytes)
    case .checkpoint: fuzzCheckpoint(bytes)
    case .gzip, .bzip2: fuzzCompressed(bytes)
    }
    return 0
}

// MARK: - Helpers

/// Writes `bytes` to the scratch file (truncating it) and returns its path.
func writeScratch(_ bytes: [UInt8]) -> String {
    let fd = open(scratchPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { fatalError("glove-fuzz: cannot create \(scratchPath)") }
    var done = 0
    bytes.withUnsafeBytes { raw in
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            guard n > 0 else { fatalError("glove-fuzz: cannot write \(scratchPath)") }
            done += n
        }
    }
    close(fd)
    return scratchPath
}

/// Traps with a message: a documented property does not hold.
func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant violated: \(message())") }
}

func readU32(_ b: [UInt8], _ offset: Int) -> UInt32 {
    var v: UInt32 = 0
    for k in 0..<4 { v |= UInt32(b[offset + k]) << (8 * k) }
    return v
}

func readU64(_ b: [UInt8], _ offset: Int) -> UInt64 {
    var v: UInt64 = 0
    for k in 0..<8 { v |= UInt64(b[offset + k]) << (8 * k) }
    return v
}

func writeU64(_ b: inout [UInt8], _ offset: Int, _ value: UInt64) {
    for k in 0..<8 { b[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
}

/// Recomputes the trailing 8-byte FNV-1a checksum over everything before it.
func fixChecksum(_ b: inout [UInt8]) {
    guard b.count >= 8 else { return }
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in b[0..<(b.count - 8)] { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    writeU64(&b, b.count - 8, h)
}

/// Uses a loaded model the way a caller would.
func exercise(_ model: GloVeModel) {
    let vocabulary = model.vocabulary
    invariant(model.rowCount * model.dimension == model.vectors.count, "row count")
    invariant(model.biases.count == model.rowCount, "bias count")
    let words = min(vocabulary.count, 8)
    var names: [String] = []
    for id in 0..<words {
        let found = vocabulary.withWordBytes(id) { vocabulary.id(bytes: $0) }
        invariant(found == id, "word \(id) does not look itself up (got \(String(describing: found)))")
        names.append(vocabulary[id])
        _ = model.vector(names[id])
    }
    for word in ["zzqxj-unseen", "a", "the"] + names {
        if let vector = model.vector(word) { invariant(vector.count == model.dimension, "vector length") }
        if let (row, _) = model.row(of: word) {
            _ = model.vector(row: row)
            _ = model.label(row: row)
        }
    }
    if model.rowCount > 0 { _ = model.label(row: model.rowCount - 1) }
    if vocabulary.count > 0 {
        let index = NeighborIndex(model: model)
        _ = index.neighbors(of: names[0], k: 3)
        _ = index.neighbors(of: "zzqxj-unseen", k: 3)
        _ = index.analogy(names[0], names[min(1, words - 1)], "zzqxj-unseen", k: 2)
    }
}

func exercise(_ matrix: CooccurrenceMatrix) {
    let n = matrix.nonzeroCount
    let triples = matrix.triples()
    invariant(triples.rows.count == n && triples.columns.count == n && triples.values.count == n, "triples size")
    var seen = 0
    do throws(GloVeError) {
        try matrix.forEachEntry { (i, j, x) throws(GloVeError) in
            invariant(i >= 0 && i < matrix.dimension && j >= 0 && j < matrix.dimension && x.isFinite, "entry (\(i), \(j))")
            seen += 1
        }
        invariant(seen == n, "forEachEntry visited \(seen) of \(n)")
        _ = try matrix.adding(matrix)
    } catch {}
}

// MARK: - Loaders of binary formats

/// Resumes a checkpoint into a fresh trainer of each objective; a resumed
/// trainer must train on, and a refused one must be left untouched.
func fuzzCheckpoint(_ input: [UInt8]) {
    var b = input
    fixChecksum(&b)
    let path = writeScratch(b)
    for objective in [TrainingOptions.Objective.seed, .paper] {
        guard let trainer = try? CheckpointTrainers.make(objective) else { fatalError("glove-fuzz: cannot make a trainer") }
        let before = trainer.model().vectors
        do throws(GloVeError) {
            try trainer.resume(fromCheckpoint: path)
        } catch {
            invariant(trainer.completedEpochs == 0 && trainer.model().vectors == before, "a refused checkpoint changed the trainer")
            continue
        }
        invariant(trainer.model().vectors.allSatisfy(\.isFinite), "a resumed checkpoint has non-finite vectors")
        _ = try? trainer.train(epochs: 1)
    }
}

func fuzzModel(_ input: [UInt8]) {
    var b = input
    // Fix-up: vocabulary bytes = what the other sizes leave of the file.
    if b.count >= 68 {
        let dimension = UInt64(readU32(b, 16)), rows = readU64(b, 32), epochs = UInt64(readU32(b, 56))
        if dimension <= 4096, rows <= UInt64(b.count) {
            let header: UInt64 = readU32(b, 8) == 2 ? 64 : 60  // version 2 adds the subword hash count
            let fixed = header + rows * (dimension + 1) * 4 + epochs * 8 + 8
            if fixed <= UInt64(b.count) { writeU64(&b, 48, UInt64(b.count) - fixed) }
        }
    }
    fixChecksum(&b)
    let path = writeScratch(b)
    do throws(GloVeError) {
        exercise(try GloVeModel.load(path: path))
    } catch {}
}

func fuzzVectorsText(_ b: [UInt8]) {
    let path = writeScratch(b)
    do throws(GloVeError) {
        exercise(try GloVeModel.importText(path: path))
    } catch {}
}

func fuzzStanford(_ b: [UInt8]) {
    // The first byte picks the dimension argument: 0 (largest id + 1) or small fixed values.
    guard let first = b.first else { return }
    let dimension = [0, 0, 1, 2, 7, 64, 1000, 1 << 20][Int(first & 7)]
    let path = writeScratch(Array(b.dropFirst()))
    do throws(GloVeError) {
        let matrix = try CooccurrenceMatrix.load(path: path, format: .stanford, dimension: dimension)
        invariant(dimension == 0 || matrix.dimension == dimension, "dimension")
        exercise(matrix)
    } catch {}
}

func fuzzNative(_ input: [UInt8]) {
    var b = input
    // Fix-up: the entry count from the file size, when the size allows one.
    if b.count >= 40 && (b.count - 40) % 16 == 0 { writeU64(&b, 24, UInt64((b.count - 40) / 16)) }
    fixChecksum(&b)
    let path = writeScratch(b)
    do throws(GloVeError) {
        exercise(try CooccurrenceMatrix.load(path: path, format: .native))
    } catch {}
}

func fuzzBilinear(_ input: [UInt8]) {
    var b = input
    // Fix-up: the item entry count from what the other sizes leave of the file.
    if b.count >= 96 {
        let sizes = (16..<80).count / 8
        var field = [UInt64](repeating: 0, count: sizes)
        for k in 0..<sizes { field[k] = readU64(b, 16 + 8 * k) }
        let (p, q, rank, items, pCount, qCount, epochs) = (field[0], field[1], field[2], field[3], field[5], field[6], field[7])
        let limit = UInt64(b.count)
        if [p, q, rank, items, pCount, qCount, epochs].allSatisfy({ $0 <= limit }) {
            let fixed = 88 + 4 * (pCount + qCount + rank + p + q) + 8 * (items + 1) + 8 * epochs + 8
            if fixed <= limit && (limit - fixed) % 8 == 0 { writeU64(&b, 48, (limit - fixed) / 8) }
        }
    }
    fixChecksum(&b)
    let path = writeScratch(b)
    do throws(GloVeError) {
        let model = try BilinearModel.load(path: path)
        _ = model.itemVectors()
        if model.userFeatureCount <= 4096 {
            let users = FeatureMatrix.identity(model.userFeatureCount)
            _ = try model.userVectors(users)
            let pairs = (0..<min(model.itemCount, 8)).map { (user: $0 % users.rows, item: $0) }
            _ = try model.scores(users: users, pairs: pairs)
        }
        _ = try model.adding(items: model.items)
    } catch {}
}

// MARK: - Text formats

func fuzzVocabulary(_ b: [UInt8]) {
    let path = writeScratch(b)
    do throws(GloVeError) {
        let vocabulary = try Vocabulary.load(path: path)
        for id in 0..<min(vocabulary.count, 64) {
            let found = vocabulary.withWordBytes(id) { vocabulary.id(bytes: $0) }
            invariant(found == id, "word \(id) does not look itself up")
            _ = vocabulary.count(of: id)
        }
        let oov = vocabulary.lookup("zzqxj-unseen")
        invariant(oov.map { $0.id < vocabulary.idSpace } ?? false, "bucket id out of the id space")
    } catch {}
}

func fuzzFeatures(_ b: [UInt8]) {
    let path = writeScratch(b)
    do throws(GloVeError) {
        let matrix = try FeatureMatrix.load(path: path)
        for r in 0..<min(matrix.rows, 8) { _ = matrix.row(r) }
        if matrix.rows > 0 { _ = try matrix.selecting(rows: [matrix.rows - 1, 0]) }
        _ = try matrix.appending(matrix)
    } catch {}
}

func fuzzInteractions(_ b: [UInt8]) {
    let path = writeScratch(b)
    do throws(GloVeError) {
        let interactions = try Interactions.load(path: path)
        _ = interactions.itemsByUser(users: 64)
    } catch {}
}

// MARK: - Tokenizer and decompressors

/// Checks every token against the tokenizer's documented output.
struct CheckingSink: TokenSink {
    let mode: TokenizerMode
    var tokens = 0
    var documents = 0
    var table = TokenTable(capacity: 64)

    mutating func token(_ bytes: UnsafeRawBufferPointer) {
        invariant(bytes.count >= 1 && bytes.count <= Tokenizer.maxTokenBytes, "token of \(bytes.count) bytes")
        for byte in bytes {
            invariant(byte != 0x0A && byte != 0x20 && byte != 0x09 && byte != 0x0D, "separator byte \(byte) in a token")
            if mode == .text { invariant(!(byte >= 0x41 && byte <= 0x5A), "uppercase ASCII in a text-mode token") }
        }
        invariant(String(validating: bytes, as: UTF8.self) != nil, "token is not valid UTF-8")
        if tokens < 4096 {
            table.add(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count, amount: 1)
        }
        tokens += 1
    }

    mutating func endOfDocument() { documents += 1 }
}

/// Reads `path` through BlockReader (decompressing .gz/.bz2) and tokenizes
/// every block, stopping after `limit` bytes of blocks (decompression bombs
/// are legitimate input, but not a useful use of fuzzing time).
func tokenizeFile(_ path: String, mode: TokenizerMode, blockSize: Int, limit: Int) throws(GloVeError) {
    let reader = BlockReader(paths: [path], mode: mode, blockSize: blockSize)
    var tokenizer = Tokenizer(mode: mode)
    var sink = CheckingSink(mode: mode)
    var block: [UInt8] = []
    var total = 0
    while try reader.next(into: &block) {
        invariant(block.last == 0x0A, "a block does not end with a newline")
        block.withUnsafeBytes { tokenizer.tokenize($0, into: &sink) }
        total += block.count
        if total > limit { break }
    }
}

func fuzzTokenizer(_ b: [UInt8]) {
    // First byte: bit 0 the mode, the rest the block size (64 ... 1,080 bytes),
    // so that over-long lines are cut in every way.
    guard let first = b.first else { return }
    let mode: TokenizerMode = first & 1 == 0 ? .text : .pretokenized
    let blockSize = 64 + Int(first >> 1) * 8
    let path = writeScratch(Array(b.dropFirst()))
    do throws(GloVeError) {
        try tokenizeFile(path, mode: mode, blockSize: blockSize, limit: 1 << 24)
    } catch {}
}

func fuzzCompressed(_ b: [UInt8]) {
    let path = writeScratch(b)
    do throws(GloVeError) {
        try tokenizeFile(path, mode: .text, blockSize: 1 << 16, limit: 4 << 20)
    } catch {}
}

// MARK: - Min-hash

func fuzzMinHash(_ b: [UInt8]) {
    // Header: u32 seed, u32 bucket count, u8 signature length - 1, u8 delimiter; then the text.
    guard b.count >= 10 else { return }
    let seed = readU32(b, 0)
    let bucketCount = max(readU32(b, 4), 1)
    let hashCount = Int(b[8]) + 1
    let delimiter = b[9]
    let text = Array(b[10...])
    let full: MinHash
    do throws(GloVeError) {
        full = try MinHash(scheme: .full, bucketCount: bucketCount, seed: seed, hashCount: hashCount)
    } catch {
        fatalError("valid full-scheme settings were refused: \(error)")
    }
    text.withUnsafeBytes { all in
        // Whole buffer.
        invariant(MinHash.compat.bucket(bytes: all) < MinHash.compatBucketCount, "compat bucket range")
        invariant(full.bucket(bytes: all) < bucketCount, "full bucket range")
        let signature = full.signature(bytes: all)
        invariant(signature.count == hashCount, "signature length")
        let half = all.count / 2
        let j = full.jaccard(bytes: UnsafeRawBufferPointer(rebasing: all[..<half]), UnsafeRawBufferPointer(rebasing: all[half...]))
        invariant(j >= 0 && j <= 1, "jaccard \(j)")
        invariant(full.jaccard(bytes: all, all) == 1, "jaccard of a word with itself")
        // Delimited bulk path against the one-word path, field by field.
        let fields = MinHash.fieldCount(delimited: all, delimiter: delimiter)
        for scheme in [MinHash.compat, full] {
            var out = [UInt32](repeating: .max, count: fields)
            do throws(GloVeError) {
                let written = try out.withUnsafeMutableBufferPointer { (o) throws(GloVeError) -> Int in
                    try scheme.buckets(delimited: all, delimiter: delimiter, into: o)
                }
                invariant(written == fields, "delimited field count")
            } catch {
                fatalError("buckets(delimited:) refused a large enough buffer: \(error)")
            }
            var start = 0
            for k in 0..<fields {
                var end = start
                while end < all.count && all[end] != delimiter { end += 1 }
                let one = scheme.bucket(bytes: UnsafeRawBufferPointer(rebasing: all[start..<end]))
                invariant(out[k] == one, "field \(k): bulk bucket \(out[k]) != single bucket \(one) (scheme \(scheme.scheme))")
                start = end + 1
            }
            if fields > 1 {
                var small = [UInt32](repeating: 0, count: fields - 1)
                let refused: Bool
                do throws(GloVeError) {
                    _ = try small.withUnsafeMutableBufferPointer { (o) throws(GloVeError) -> Int in
                        try scheme.buckets(delimited: all, delimiter: delimiter, into: o)
                    }
                    refused = false
                } catch {
                    refused = true
                }
                invariant(refused, "a too-small buffer was accepted")
            }
        }
        // The String entry points on the same bytes (invalid UTF-8 is repaired first).
        let word = String(decoding: all, as: UTF8.self)
        _ = MinHash.compat.bucket(word)
        _ = full.signature(word)
    }
}
