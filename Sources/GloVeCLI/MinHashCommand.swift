import ArgumentParser
import GloVe

/// `glove minhash`: buckets, signatures and Jaccard estimates of words.
struct MinHashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minhash",
        abstract: "Print the min-hash bucket of each word.",
        discussion: """
            Prints one "word<TAB>bucket" line per word. With no WORD arguments,
            reads words from standard input, one per line. Words on standard input
            are hashed byte for byte (invalid UTF-8 included); arguments are read as
            text, so invalid UTF-8 in them becomes U+FFFD first.

            Examples:
              glove minhash democracy democratic zebra
              glove minhash --scheme full --buckets 2000000 --seed 7 hashes
              cut -d' ' -f1 vocab.txt | glove minhash > buckets.tsv
              glove minhash --signature --hashes 8 zebra
              glove minhash --jaccard democracy democratic
            """
    )

    @Option(help: "compat (the reference pipeline's crc32 scheme, 65536 buckets) or full (Murmur3, every window).")
    var scheme: SchemeArgument = .compat

    @Option(help: "Number of buckets (compat: 65536 only).")
    var buckets: UInt32 = MinHash.compatBucketCount

    @Option(help: "Murmur3 seed of the full scheme and of signatures.")
    var seed: UInt32 = 0

    @Option(help: "Signature length for --signature and --jaccard.")
    var hashes: Int = 64

    @Flag(help: "Print each word's signature (comma-separated minima) instead of its bucket.")
    var signature = false

    @Flag(help: "Print the estimated Jaccard similarity of exactly two words.")
    var jaccard = false

    @Argument(help: "Words to hash; standard input when none are given.")
    var words: [String] = []

    mutating func validate() throws {
        if signature && jaccard { throw ValidationError("--signature and --jaccard cannot be combined") }
        if jaccard && words.count != 2 { throw ValidationError("--jaccard needs exactly two words (got \(words.count))") }
        do {
            _ = try MinHash(scheme: scheme.scheme, bucketCount: buckets, seed: seed, hashCount: hashes)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        let hasher = try cliErrors { () throws(GloVeError) in
            try MinHash(scheme: scheme.scheme, bucketCount: buckets, seed: seed, hashCount: hashes)
        }
        if jaccard {
            StandardStreams.write("\(hasher.jaccard(words[0], words[1]))\n")
            return
        }
        let emit = { (word: UnsafeRawBufferPointer) in
            let value = signature
                ? hasher.signature(bytes: word).map(String.init).joined(separator: ",")
                : String(hasher.bucket(bytes: word))
            StandardStreams.write(word)
            StandardStreams.write("\t\(value)\n")
        }
        if words.isEmpty {
            StandardStreams.forEachLine(emit)
        } else {
            for word in words { withUTF8(word, emit) }
        }
    }
}

/// The `--scheme` values.
enum SchemeArgument: String, ExpressibleByArgument, CaseIterable {
    case compat, full

    var scheme: MinHash.Scheme { self == .compat ? .compat : .full }
}

private func withUTF8(_ text: String, _ body: (UnsafeRawBufferPointer) -> Void) {
    var text = text
    text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
}
