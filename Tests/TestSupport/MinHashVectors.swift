import Foundation

/// One row of Tests/vectors/minhash.tsv (see scripts/make_test_vectors.py).
public struct MinHashVector: Sendable {
    /// The word's bytes.
    public let word: [UInt8]
    /// Compat bucket.
    public let compat: UInt32
    /// Full-scheme bucket with 65,536 buckets and seed 0.
    public let full65536Seed0: UInt32
    /// Full-scheme bucket with 1,000,003 buckets and seed 42.
    public let full1000003Seed42: UInt32
    /// Signature with 4 hashes and seed 7.
    public let signatureK4Seed7: [UInt32]
}

/// Absolute path of a file under Tests/vectors.
public func vectorPath(_ name: String, file: String = #filePath) -> String {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("vectors").appendingPathComponent(name).path
}

/// The min-hash test vectors shared by the Swift, C, Python and CLI tests.
public func loadMinHashVectors() throws -> [MinHashVector] {
    let text = try String(contentsOfFile: vectorPath("minhash.tsv"), encoding: .ascii)
    return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return MinHashVector(
            word: hexBytes(fields[0]),
            compat: UInt32(fields[1])!,
            full65536Seed0: UInt32(fields[2])!,
            full1000003Seed42: UInt32(fields[3])!,
            signatureK4Seed7: fields[4].split(separator: ",").map { UInt32($0)! })
    }
}

private func hexBytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { i in
        UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16)!
    }
}
